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
    DirtyingModel model({DirtyPattern::Uniform, 1000.0, 0, 0, 1.0, {}, nullptr}, 42);
    model.advance(m, writes_per_page * n / 1000.0);
    const double expected = n * (1 - std::exp(-writes_per_page));
    CHECK(static_cast<double>(m.dirty_count()) == doctest::Approx(expected).epsilon(0.01));
  }
}

TEST_CASE("sequential dirtying never re-dirties a page before a full sweep")
{
  GuestMemory m = clean_memory(10000);
  DirtyingModel model({DirtyPattern::Sequential, 1000.0, 0, 0, 1.0, {}, nullptr}, 1);
  model.advance(m, 7.5);
  CHECK(m.dirty_count() == 7500);
  model.advance(m, 10.0);
  CHECK(m.dirty_count() == 10000);
}

TEST_CASE("hot-set dirtying sends the hot share of writes to the hot pages")
{
  GuestMemory m = clean_memory(100000);
  DirtyingModel model({DirtyPattern::HotSet, 1000.0, 0.1, 0.9, 1.0, {}, nullptr}, 7);
  model.advance(m, 10.0);  // 10000 writes
  uint64_t hot = 0;
  m.dirty().for_each([&](uint64_t p) { hot += p < 10000; });
  // 9000 writes over 10000 hot pages: 10000 (1 - exp(-0.9)) distinct; 1000 over 90000 cold ones
  CHECK(static_cast<double>(hot) == doctest::Approx(10000 * (1 - std::exp(-0.9))).epsilon(0.03));
  CHECK(static_cast<double>(m.dirty_count() - hot) == doctest::Approx(90000 * (1 - std::exp(-1000.0 / 90000))).epsilon(0.05));
}

TEST_CASE("advancing in pieces writes exactly the same pages as in one step")
{
  RunningGuest one(pages(5000), {DirtyPattern::Uniform, 333.3, 0, 0, 1.0, {}, nullptr}, 9);
  RunningGuest pieces(pages(5000), {DirtyPattern::Uniform, 333.3, 0, 0, 1.0, {}, nullptr}, 9);
  one.run_until(10.0);
  for (double t = 0.37; t < 10.0; t += 0.37)
    pieces.run_until(t);
  pieces.run_until(10.0);
  CHECK(one.memory().dirty() == pieces.memory().dirty());
  CHECK(one.memory().writes() == pieces.memory().writes());
}

TEST_CASE("a paused guest writes nothing")
{
  RunningGuest g(pages(5000), {DirtyPattern::Uniform, 100.0, 0, 0, 1.0, {}, nullptr}, 3);
  g.pause(1.0);
  g.run_until(5.0);
  CHECK(g.memory().writes() == 100);
  g.resume(5.0);
  g.run_until(6.0);
  CHECK(g.memory().writes() == 200);
}

TEST_CASE("zipf dirtying: distinct pages after W writes are sum_r 1 - (1 - p_r)^W, the hottest at the lowest pages")
{
  const uint64_t n = 20000;
  const double s   = 1.0;
  const uint64_t w = 20000;
  GuestMemory m = clean_memory(n);
  DirtyingSpec spec{DirtyPattern::Zipf, 1000.0, 0, 0, 1.0, {}, nullptr};
  spec.zipf_exponent = s;
  DirtyingModel model(spec, 5);
  model.advance(m, static_cast<double>(w) / 1000.0);
  double norm = 0;
  for (uint64_t r = 1; r <= n; ++r)
    norm += std::pow(static_cast<double>(r), -s);
  double expected = 0, expected_head = 0;
  for (uint64_t r = 1; r <= n; ++r) {
    const double hit = 1 - std::pow(1 - std::pow(static_cast<double>(r), -s) / norm, static_cast<double>(w));
    expected += hit;
    if (r <= 100)
      expected_head += hit;
  }
  CHECK(static_cast<double>(m.dirty_count()) == doctest::Approx(expected).epsilon(0.02));
  uint64_t head = 0;
  m.dirty().for_each([&](uint64_t p) { head += p < 100; });
  CHECK(static_cast<double>(head) == doctest::Approx(expected_head).epsilon(0.02));
  CHECK(head == 100);  // ranks 1..100 have p >= 1 / (100 H_n): all of them hit at least once
}

TEST_CASE("a steeper zipf exponent concentrates the writes on fewer pages")
{
  uint64_t distinct[2];
  int i = 0;
  for (double s : {0.8, 1.4}) {
    GuestMemory m = clean_memory(50000);
    DirtyingSpec spec{DirtyPattern::Zipf, 1000.0, 0, 0, 1.0, {}, nullptr};
    spec.zipf_exponent = s;
    DirtyingModel model(spec, 5);
    model.advance(m, 20.0);
    distinct[i++] = m.dirty_count();
  }
  CHECK(distinct[1] < distinct[0] / 2);
}

TEST_CASE("phases change rate and pattern at the given guest times")
{
  DirtyingSpec spec{DirtyPattern::Sequential, 0, 0, 0, 1.0, {}, nullptr};  // idle at first
  spec.phases.push_back({5.0, DirtyPattern::Sequential, 100.0, 0.1, 0.9, 1.0});
  spec.phases.push_back({10.0, DirtyPattern::HotSet, 1000.0, 0.01, 1.0, 1.0});
  GuestMemory m = clean_memory(10000);
  DirtyingModel model(spec, 1);
  model.advance(m, 4.9);
  CHECK(m.writes() == 0);
  model.advance(m, 5.1);  // to 10 s: 5 s at 100 pages/s, pages 0..499 in order
  CHECK(m.writes() == 500);
  CHECK(m.dirty_count() == 500);
  m.take_dirty(m.dirty());
  model.advance(m, 2.0);  // hot set of 100 pages takes every write
  CHECK(m.writes() == 2500);
  uint64_t outside = 0;
  m.dirty().for_each([&](uint64_t p) { outside += p >= 100; });
  CHECK(outside == 0);
  CHECK(model.guest_time() == doctest::Approx(12.0));
}

TEST_CASE("advancing in pieces across phase changes writes the same pages as in one step")
{
  DirtyingSpec spec{DirtyPattern::Uniform, 300.0, 0, 0, 1.0, {}, nullptr};
  spec.phases.push_back({3.3, DirtyPattern::Zipf, 700.0, 0.1, 0.9, 1.1});
  spec.phases.push_back({6.1, DirtyPattern::HotSet, 500.0, 0.05, 0.9, 1.0});
  RunningGuest one(pages(5000), spec, 4), pieces(pages(5000), spec, 4);
  one.run_until(10.0);
  for (double t = 0.37; t < 10.0; t += 0.37)
    pieces.run_until(t);
  pieces.run_until(10.0);
  CHECK(one.memory().dirty() == pieces.memory().dirty());
  CHECK(one.memory().writes() == pieces.memory().writes());
}

TEST_CASE("a rate series becomes phases that keep the pattern and change the rate")
{
  DirtyTrace trace;
  trace.kind  = DirtyTrace::Kind::Rates;
  trace.rates = {{0, 4096e3}, {2, 0}};
  DirtyingSpec spec{DirtyPattern::Sequential, 50.0, 0, 0, 1.0, {}, nullptr};
  spec.phases = phases_from_rates(trace, spec, 4096);
  REQUIRE(spec.phases.size() == 2);
  CHECK(spec.phases[0].pages_per_s == 1000);
  CHECK(spec.phases[1].pattern == DirtyPattern::Sequential);
  GuestMemory m = clean_memory(100000);
  DirtyingModel model(spec, 1);
  model.advance(m, 5);
  CHECK(m.writes() == 2000);  // 1000 pages/s from 0 to 2 s, then nothing
}

TEST_CASE("a page trace is replayed burst by burst at its guest times")
{
  auto trace    = std::make_shared<DirtyTrace>();
  trace->bursts = {{0.5, 10, 5, std::nullopt}, {1.5, 100, 10, PageClass::CleanCache}, {2.5, 200, 3, PageClass::Free}};
  DirtyingSpec spec{DirtyPattern::Uniform, 1e6, 0, 0, 1.0, {}, nullptr};  // the rate is not used with a trace
  spec.trace = trace;
  GuestMemory m = clean_memory(1000);
  DirtyingModel model(spec, 1);
  model.advance(m, 1.0);
  CHECK(m.dirty_count() == 5);
  CHECK(m.dirty().test(10));
  CHECK(m.dirty().test(14));
  model.advance(m, 1.0);
  CHECK(m.dirty_count() == 15);
  CHECK(m.page_class(105) == PageClass::CleanCache);
  model.advance(m, 10.0);
  CHECK(m.dirty_count() == 15);  // freeing a page changes no content
  CHECK(m.page_class(201) == PageClass::Free);
  CHECK(m.count(PageClass::Free) == 3);
}

TEST_CASE("a throttled guest writes at (1 - throttle) of its rate, and its guest time runs that much slower")
{
  RunningGuest g(pages(100000), {DirtyPattern::Uniform, 100.0, 0, 0, 1.0, {}, nullptr}, 3);
  g.run_until(10.0);
  CHECK(g.memory().writes() == 1000);
  g.set_throttle(0.5, 10.0);
  g.run_until(20.0);
  CHECK(g.memory().writes() == 1500);
  g.set_throttle(0.99, 20.0);
  g.run_until(120.0);
  CHECK(g.memory().writes() == 1600);
  CHECK(g.guest_time() == doctest::Approx(16.0));
  CHECK(g.throttle() == 0.99);
}
