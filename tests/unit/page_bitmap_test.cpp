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

TEST_CASE("an empty bitmap holds no storage and reads and combines as all zeros")
{
  PageBitmap empty(130), a(130), zeros(130);
  a.set(3);
  a.set(129);
  zeros.set(5);
  zeros.reset(5);  // allocated, all zero
  CHECK(empty.none());
  CHECK(empty.count() == 0);
  CHECK(!empty.test(129));
  CHECK(empty == zeros);
  CHECK(zeros == empty);
  CHECK(!(empty == a));
  CHECK((empty | a) == a);
  CHECK((a | empty) == a);
  CHECK((a & empty).none());
  CHECK((empty & a).none());
  CHECK(minus(a, empty) == a);
  CHECK(minus(empty, a).none());
  PageBitmap b(130);
  b.or_32(0, 0);
  CHECK(b.none());
  b.set_range(10, 10);
  CHECK(b.none());
  b.or_32(128, 1u);
  CHECK(b.test(128));
  CHECK(b.count() == 1);
  std::vector<uint64_t> seen;
  empty.for_each([&](uint64_t p) { seen.push_back(p); });
  CHECK(seen.empty());
}

TEST_CASE("next() finds the first page of the set at or after a page, across empty words")
{
  PageBitmap s(300);
  CHECK(s.next(0) == 300);  // no storage yet
  for (uint64_t p : {3, 64, 65, 250, 299})
    s.set(p);
  CHECK(s.next(0) == 3);
  CHECK(s.next(3) == 3);
  CHECK(s.next(4) == 64);
  CHECK(s.next(66) == 250);
  CHECK(s.next(251) == 299);
  CHECK(s.next(300) == 300);
  CHECK(s.next(1000) == 300);
  std::vector<uint64_t> walked;
  for (uint64_t p = s.next(0); p < s.size(); p = s.next(p + 1))
    walked.push_back(p);
  CHECK(walked == std::vector<uint64_t>{3, 64, 65, 250, 299});
}
