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
// 100 pages: 20 anonymous, 0 dirty cache, 60 clean cache (slots 0..59 = pages 20..79), 20 free.
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

TEST_CASE("the page cache starts with the first blocks and serves them as hits")
{
  GuestMemory m = small_memory();
  PageCache cache(m, 1000);
  CHECK(cache.slots() == 60);
  CacheTraffic t;
  cache.access(0, 4, false, t);
  cache.access(59, 1, false, t);
  CHECK(t.hits == 5);
  CHECK(t.misses == 0);
  CHECK(m.dirty_count() == 0);  // reading changes nothing in memory
}

TEST_CASE("a miss evicts the least recently used block and fills its page, which must be sent again")
{
  GuestMemory m = small_memory();
  PageCache cache(m, 1000);
  CacheTraffic t;
  for (uint64_t b = 0; b < 59; ++b)
    cache.access(b, 1, false, t);  // block 59 is now the least recently used
  cache.access(500, 1, false, t);
  CHECK(t.misses == 1);
  CHECK(cache.cached(500));
  CHECK(!cache.cached(59));
  CHECK(m.dirty_count() == 1);
  CHECK(m.count(PageClass::CleanCache) == 60);
}

TEST_CASE("writes dirty the cache; write-back makes it clean without touching the dirty log")
{
  GuestMemory m = small_memory();
  PageCache cache(m, 1000);
  CacheTraffic t;
  cache.access(10, 2, true, t);
  CHECK(t.writes == 2);
  CHECK(m.count(PageClass::DirtyCache) == 2);
  CHECK(m.dirty_count() == 2);
  cache.write_back(10, t);
  CHECK(t.write_backs == 2);
  CHECK(m.count(PageClass::DirtyCache) == 0);
  CHECK(m.dirty_count() == 2);
}

TEST_CASE("dropped cache pages miss, and absent pages cost a storage read once")
{
  GuestMemory m = small_memory();
  PageCache cache(m, 1000);
  m.drop(20);  // block 0's page
  PageBitmap absent(100);
  absent.set(21);  // block 1's page is cached but its content has not arrived
  cache.mark_absent(absent);
  CacheTraffic t;
  cache.access(0, 2, false, t);
  CHECK(t.misses == 2);
  cache.access(0, 2, false, t);
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

TEST_CASE("the stationary warm-up puts the most recent records in the slots, last block first, in LRU order")
{
  GuestMemory m(MemoryLayout{100, 4096, 0.05, 0, 0});  // 5 cache slots
  PageCache cache(m, 40);
  cache.warm_up({7, 2, 9}, 2);  // blocks 15 14 | 5 4 | 19 (18 does not fit)
  for (uint64_t b : {15, 14, 5, 4, 19})
    CHECK(cache.cached(b));
  for (uint64_t b : {0, 1, 2, 3, 18})
    CHECK_FALSE(cache.cached(b));
  CacheTraffic t;
  cache.access(30, 1, false, t);  // evicts the least recent: block 19
  CHECK_FALSE(cache.cached(19));
  cache.access(14, 1, false, t);  // a hit moves 14 to the front
  cache.access(31, 1, false, t);
  cache.access(32, 1, false, t);  // evict 4, then 5
  CHECK(cache.cached(14));
  CHECK_FALSE(cache.cached(4));
  CHECK_FALSE(cache.cached(5));
  CHECK(cache.cached(15));
  CHECK(t.hits == 1);
  CHECK(t.misses == 3);
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
