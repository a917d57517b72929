#include "models/dirtying_model.hpp"
#include "models/running_guest.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace migsim;

namespace {
MemoryLayout pages(uint64_t n)
{
  MemoryLayout l;
  l.page_count = n;
  return l;
}
GuestMemory clean_memory(uint64_t n)
{
  GuestMemory m(pages(n));
  m.take_dirty(PageBitmap(n, true));
  return m;
}
}  // namespace

TEST_CASE("uniform dirtying saturates as N (1 - exp(-d t / N))")
{
  const uint64_t n = 1 << 18;
  for (double writes_per_page : {0.1, 0.5, 1.0, 3.0}) {
    GuestMemory m = clean_memory(n);
    DirtyingModel model({DirtyPattern::Uniform, 1000.0, 0, 0}, 42);
    model.advance(m, writes_per_page * n / 1000.0);
    const double expected = n * (1 - std::exp(-writes_per_page));
    CHECK(static_cast<double>(m.dirty_count()) == doctest::Approx(expected).epsilon(0.01));
  }
}

TEST_CASE("sequential dirtying never re-dirties a page before a full sweep")
{
  GuestMemory m = clean_memory(10000);
  DirtyingModel model({DirtyPattern::Sequential, 1000.0, 0, 0}, 1);
  model.advance(m, 7.5);
  CHECK(m.dirty_count() == 7500);
  model.advance(m, 10.0);
  CHECK(m.dirty_count() == 10000);
}

TEST_CASE("hot-set dirtying sends the hot share of writes to the hot pages")
{
  GuestMemory m = clean_memory(100000);
  DirtyingModel model({DirtyPattern::HotSet, 1000.0, 0.1, 0.9}, 7);
  model.advance(m, 10.0);  // 10000 writes
  uint64_t hot = 0;
  m.dirty().for_each([&](uint64_t p) { hot += p < 10000; });
  // 9000 writes over 10000 hot pages: 10000 (1 - exp(-0.9)) distinct; 1000 over 90000 cold ones
  CHECK(static_cast<double>(hot) == doctest::Approx(10000 * (1 - std::exp(-0.9))).epsilon(0.03));
  CHECK(static_cast<double>(m.dirty_count() - hot) == doctest::Approx(90000 * (1 - std::exp(-1000.0 / 90000))).epsilon(0.05));
}

TEST_CASE("advancing in pieces writes exactly the same pages as in one step")
{
  RunningGuest one(pages(5000), {DirtyPattern::Uniform, 333.3, 0, 0}, 9);
  RunningGuest pieces(pages(5000), {DirtyPattern::Uniform, 333.3, 0, 0}, 9);
  one.run_until(10.0);
  for (double t = 0.37; t < 10.0; t += 0.37)
    pieces.run_until(t);
  pieces.run_until(10.0);
  CHECK(one.memory().dirty() == pieces.memory().dirty());
  CHECK(one.memory().writes() == pieces.memory().writes());
}

TEST_CASE("a paused guest writes nothing")
{
  RunningGuest g(pages(5000), {DirtyPattern::Uniform, 100.0, 0, 0}, 3);
  g.pause(1.0);
  g.run_until(5.0);
  CHECK(g.memory().writes() == 100);
  g.resume(5.0);
  g.run_until(6.0);
  CHECK(g.memory().writes() == 200);
}
