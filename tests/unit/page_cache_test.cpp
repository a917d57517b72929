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

TEST_CASE("Zipf ranks follow k^-s")
{
  ZipfDistribution zipf(1000, 1.0);
  RandomStream random(5, "test");
  std::vector<int> count(1001);
  for (int i = 0; i < 200000; ++i)
    ++count[zipf(random)];
  const double h = [] {
    double sum = 0;
    for (int k = 1; k <= 1000; ++k)
      sum += 1.0 / k;
    return sum;
  }();
  CHECK(count[1] / 200000.0 == doctest::Approx(1 / h).epsilon(0.03));
  CHECK(count[2] / 200000.0 == doctest::Approx(0.5 / h).epsilon(0.05));
  CHECK(count[10] / 200000.0 == doctest::Approx(0.1 / h).epsilon(0.1));
}

TEST_CASE("a warmed-up LRU keeps the hit ratio it has in steady state")
{
  GuestMemory m(MemoryLayout{20000, 4096, 0.5, 0, 0});
  IoWorkloadSpec spec = *io_profile("webserver");
  spec.request_bytes  = 4096;
  spec.data_set_bytes = 100000.0 * 4096;
  IoWorkload workload(spec, 4096, 1);
  PageCache cache(m, workload.data_set_blocks());
  cache.warm_up(workload, 10000000);
  auto hit_ratio = [&] {
    CacheTraffic t;
    for (const auto& r : workload.requests_for(20.0))
      cache.access(r.first_block, 1, false, t);
    return static_cast<double>(t.hits) / static_cast<double>(t.hits + t.misses);
  };
  const double first = hit_ratio();
  CHECK(first > 0.5);
  CHECK(hit_ratio() == doctest::Approx(first).epsilon(0.02));
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
