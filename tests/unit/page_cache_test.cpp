#include "models/destination_memory.hpp"
#include "models/io_workload.hpp"
#include "models/page_cache.hpp"
#include "models/zipf_distribution.hpp"
#include "models/io_penalty.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using namespace migsim;

namespace {
// 100 pages: 20 anonymous, 0 dirty cache, 60 clean cache (pages 20..79), 20 free.
GuestMemory small_memory()
{
  GuestMemory m(MemoryLayout{100, 4096, 0.6, 0, 0.2});
  m.take_dirty(PageBitmap(100, true));
  return m;
}
}  // namespace

TEST_CASE("a page written during migration ends at the destination with the LAN copy, whatever the order")
{
  PageBitmap page(8);
  page.set(3);
  DestinationMemory late_san(8);  // restored from the SAN, written, re-sent over the LAN; the SAN copy lands last
  late_san.receive_lan(page);
  late_san.receive_san(page);
  CHECK(late_san.source(3) == CopySource::Lan);
  DestinationMemory early_san(8);  // the SAN copy lands first and is overwritten
  early_san.receive_san(page);
  CHECK(early_san.source(3) == CopySource::San);
  early_san.receive_lan(page);
  CHECK(early_san.source(3) == CopySource::Lan);
  CHECK(early_san.source(4) == CopySource::None);
}

TEST_CASE("the page cache starts with the first records and serves them as hits")
{
  GuestMemory m = small_memory();
  PageCache cache(m, 500, 2);  // records of 2 blocks: 30 frames
  CHECK(cache.frames() == 30);
  CacheTraffic t;
  cache.access(0, false, t);
  cache.access(1, false, t);
  cache.access(29, false, t);
  CHECK(t.hits == 6);
  CHECK(t.misses == 0);
  CHECK(m.dirty_count() == 0);  // reading changes nothing in memory
}

TEST_CASE("a miss evicts the least recently used record and fills its frame's pages, which must be sent again")
{
  GuestMemory m = small_memory();
  PageCache cache(m, 500, 2);
  CacheTraffic t;
  for (uint64_t r = 0; r < 29; ++r)
    cache.access(r, false, t);  // record 29 is now the least recently used
  cache.access(400, false, t);
  CHECK(t.misses == 2);
  CHECK(cache.cached(400));
  CHECK(!cache.cached(29));
  CHECK(m.dirty_count() == 2);  // the frame's two pages, filled with new content
  CHECK(m.count(PageClass::CleanCache) == 60);
}

TEST_CASE("writes dirty the cache; write-back makes it clean without touching the dirty log; eviction writes back")
{
  GuestMemory m = small_memory();
  PageCache cache(m, 500, 2);
  CacheTraffic t;
  cache.access(5, true, t);
  CHECK(t.writes == 2);
  CHECK(m.count(PageClass::DirtyCache) == 2);
  CHECK(m.dirty_count() == 2);
  cache.write_back(10, t);
  CHECK(t.write_backs == 2);
  CHECK(m.count(PageClass::DirtyCache) == 0);
  CHECK(m.dirty_count() == 2);

  cache.access(7, true, t);  // dirty again, then the least recently used: evicting it writes it back
  for (uint64_t r = 0; r < 30; ++r)
    if (r != 7)
      cache.access(r, false, t);
  cache.access(400, false, t);
  CHECK(t.write_backs == 4);
  CHECK_FALSE(cache.cached(7));
}

TEST_CASE("dropped cache pages miss and are refilled in place, and absent pages cost a storage read once")
{
  GuestMemory m = small_memory();
  PageCache cache(m, 500, 2);
  m.drop(20);  // the first page of record 0's frame
  PageBitmap absent(100);
  absent.set(21);  // its second page is cached but its content has not arrived
  cache.mark_absent(absent);
  CHECK_FALSE(cache.cached(0));
  CacheTraffic t;
  cache.access(0, false, t);
  CHECK(t.misses == 2);
  CHECK(cache.cached(0));
  CHECK(m.page_class(20) == PageClass::CleanCache);
  cache.access(0, false, t);
  CHECK(t.hits == 2);
}

TEST_CASE("Zipf ranks follow k^-s, every rank, from 1 to n")
{
  for (const auto& [n, s] : {std::pair<uint64_t, double>{1000, 1.0}, {5000, 0.9}, {300, 1.3}, {700, 0.0}}) {
    CAPTURE(n);
    CAPTURE(s);
    ZipfDistribution zipf(n, s);
    RandomStream random(5, "test");
    const int draws = 1000000;
    std::vector<int> count(n + 2);
    for (int i = 0; i < draws; ++i)
      ++count[zipf(random)];
    CHECK(count[0] == 0);
    CHECK(count[n + 1] == 0);
    double h = 0;
    for (uint64_t k = 1; k <= n; ++k)
      h += std::pow(static_cast<double>(k), -s);
    // Every rank within 5 standard deviations of its expected count, and the whole within chi-square's
    // 99.99 % quantile, which (n - 1) + 4 sqrt(2 (n - 1)) bounds for these n.
    double chi2 = 0;
    for (uint64_t k = 1; k <= n; ++k) {
      const double p        = std::pow(static_cast<double>(k), -s) / h;
      const double expected = p * draws;
      CHECK(std::fabs(count[k] - expected) < 5 * std::sqrt(expected * (1 - p)) + 1);
      chi2 += (count[k] - expected) * (count[k] - expected) / expected;
    }
    CHECK(chi2 < static_cast<double>(n - 1) + 4 * std::sqrt(2.0 * static_cast<double>(n - 1)));
  }
}

TEST_CASE("the stationary warm-up puts the most recent records in the frames, in LRU order")
{
  GuestMemory m(MemoryLayout{100, 4096, 0.07, 0, 0});  // 7 cache pages: 3 frames of 2, one page left over
  PageCache cache(m, 20, 2);
  CHECK(cache.frames() == 3);
  cache.warm_up({7, 2, 9, 4});  // 4 does not fit
  for (uint64_t r : {7, 2, 9})
    CHECK(cache.cached(r));
  for (uint64_t r : {4, 0, 1})
    CHECK_FALSE(cache.cached(r));
  CacheTraffic t;
  cache.access(15, false, t);  // evicts the least recent: 9
  CHECK_FALSE(cache.cached(9));
  cache.access(2, false, t);  // a hit moves 2 to the front
  cache.access(16, false, t);
  cache.access(17, false, t);  // evict 7, then 15
  CHECK(cache.cached(2));
  CHECK_FALSE(cache.cached(7));
  CHECK_FALSE(cache.cached(15));
  CHECK(cache.cached(16));
  CHECK(cache.cached(17));
  CHECK(t.hits == 2);
  CHECK(t.misses == 6);
}

TEST_CASE("the IO penalty integrates the lost fraction of baseline throughput")
{
  // baseline 100 over [-2, 0]; migration 0..3 at 50, paused 3..4 (resume at 4), then 100 again
  std::vector<ThroughputSample> s;
  for (double t = -1.5; t <= 10; t += 0.5)
    s.push_back({t, 0.5, t <= 0 ? 100.0 : t <= 3 ? 50.0 : t <= 4 ? 0.0 : 100.0});
  IoPenalty p = io_penalty(s, 4.0, 2.0);
  CHECK(p.baseline_Bps == doctest::Approx(100));
  CHECK(p.penalty_s == doctest::Approx(3 * 0.5 + 1.0));
  CHECK(p.recovery_s == doctest::Approx(0));
  s[20].Bps = 10;  // a slump after resume at t = 8.5
  p         = io_penalty(s, 4.0, 2.0);
  CHECK(s[20].end_s == doctest::Approx(8.5));
  // the 1 s trailing window still holds the slump at 9.0 (mean 55 < 95) and no longer at 9.5
  CHECK(p.recovery_s == doctest::Approx(9.0 - 4.0));
}
