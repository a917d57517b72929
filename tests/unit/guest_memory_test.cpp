#include "models/guest_memory.hpp"

#include <doctest/doctest.h>

using namespace migsim;

namespace {
MemoryLayout layout_of(uint64_t pages)
{
  MemoryLayout l;
  l.page_count        = pages;
  l.clean_cache_share = 0.5;
  l.dirty_cache_share = 0.1;
  l.free_share        = 0.2;
  return l;
}
}  // namespace

TEST_CASE("memory is laid out as anonymous, dirty cache, clean cache, free")
{
  GuestMemory m(layout_of(1000));
  CHECK(m.count(PageClass::Anonymous) == 200);
  CHECK(m.count(PageClass::DirtyCache) == 100);
  CHECK(m.count(PageClass::CleanCache) == 500);
  CHECK(m.count(PageClass::Free) == 200);
  CHECK(m.page_class(199) == PageClass::Anonymous);
  CHECK(m.page_class(200) == PageClass::DirtyCache);
  CHECK(m.page_class(300) == PageClass::CleanCache);
  CHECK(m.page_class(800) == PageClass::Free);
  CHECK(m.pages_of(PageClass::CleanCache).count() == 500);
}

TEST_CASE("each class is floor(share x N) pages and anonymous memory the rest (docs/scenario.md, model.md)")
{
  MemoryLayout l;
  l.page_count        = 3;
  l.clean_cache_share = 0.5;  // llround would give 2 + 2 pages of 3
  l.dirty_cache_share = 0;
  l.free_share        = 0.5;
  GuestMemory m(l);
  CHECK(m.count(PageClass::CleanCache) == 1);
  CHECK(m.count(PageClass::Free) == 1);
  CHECK(m.count(PageClass::Anonymous) == 1);
}

TEST_CASE("every page starts dirty (never sent); taking pages clears them")
{
  GuestMemory m(layout_of(1000));
  CHECK(m.dirty_count() == 1000);
  m.take_dirty(PageBitmap(1000, true));
  CHECK(m.dirty_count() == 0);
  CHECK(m.dirty().none());
}

TEST_CASE("a write dirties the page and turns clean cache into dirty cache")
{
  GuestMemory m(layout_of(1000));
  m.take_dirty(PageBitmap(1000, true));
  m.write(300);
  m.write(300);
  m.write(900);
  CHECK(m.dirty_count() == 2);
  CHECK(m.page_class(300) == PageClass::DirtyCache);
  CHECK(m.page_class(900) == PageClass::Anonymous);
  CHECK(m.count(PageClass::CleanCache) == 499);
  CHECK(m.writes() == 3);
}

TEST_CASE("cache plus free memory larger than memory is refused")
{
  MemoryLayout l = layout_of(100);
  l.free_share   = 0.5;
  CHECK_THROWS(GuestMemory(l));
}
