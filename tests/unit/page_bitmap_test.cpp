#include "models/page_bitmap.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace migsim;

TEST_CASE("a bitmap counts, combines and lists its pages in order")
{
  PageBitmap a(130), b(130);
  a.set(0);
  a.set(64);
  a.set(129);
  b.set(64);
  b.set(100);
  CHECK(a.count() == 3);
  CHECK((a & b).count() == 1);
  CHECK((a | b).count() == 4);
  CHECK(minus(a, b).count() == 2);
  std::vector<uint64_t> pages;
  (a | b).for_each([&](uint64_t p) { pages.push_back(p); });
  CHECK(pages == std::vector<uint64_t>{0, 64, 100, 129});
}

TEST_CASE("a full bitmap has exactly its size in pages, not the padding of its last word")
{
  CHECK(PageBitmap(130, true).count() == 130);
  CHECK(PageBitmap(64, true).count() == 64);
}

TEST_CASE("set_range and keep_first")
{
  PageBitmap a(300);
  a.set_range(5, 250);
  CHECK(a.count() == 245);
  CHECK(!a.test(4));
  CHECK(a.test(5));
  CHECK(a.test(249));
  CHECK(!a.test(250));
  a.keep_first(100);
  CHECK(a.count() == 100);
  CHECK(a.test(104));
  CHECK(!a.test(105));
}
