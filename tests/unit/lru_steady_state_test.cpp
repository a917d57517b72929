#include "models/io_workload.hpp"
#include "models/lru_steady_state.hpp"
#include "models/page_cache.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <utility>

using namespace migsim;

namespace {

/// Checks that the two most recent records (i, j) come out with the move-to-front chain's stationary
/// probability p_i p_j / (1 - p_i), each within 5 standard deviations.
template <class Draw> void check_first_two(uint64_t records, double s, Draw draw)
{
  std::vector<double> p(records);
  double sum = 0;
  for (uint64_t k = 0; k < records; ++k)
    sum += p[k] = std::pow(static_cast<double>(k + 1), -s);
  for (double& x : p)
    x /= sum;
  const int samples = 100000;
  std::map<std::pair<uint32_t, uint32_t>, int> count;
  for (int n = 0; n < samples; ++n) {
    const std::vector<uint32_t> recent = draw();
    REQUIRE(recent.size() >= 2);
    ++count[{recent[0], recent[1]}];
  }
  for (uint32_t i = 0; i < 4; ++i)
    for (uint32_t j = 0; j < 4; ++j) {
      if (i == j) {
        CHECK(count[{i, j}] == 0);
        continue;
      }
      const double q = p[i] * p[j] / (1 - p[i]);
      CAPTURE(i);
      CAPTURE(j);
      CHECK(std::fabs(count[{i, j}] - q * samples) < 5 * std::sqrt(q * (1 - q) * samples));
    }
}

}  // namespace

TEST_CASE("the most recent records follow LRU's stationary order: p_i p_j / (1 - p_i) for the first two")
{
  RandomStream random(3, "test");
  SUBCASE("every record is a candidate") { check_first_two(4, 1.0, [&] { return most_recent_records(4, 1.0, 2, random); }); }
  SUBCASE("Che's window") { check_first_two(2000, 0.9, [&] { return most_recent_records(2000, 0.9, 10, random); }); }
  SUBCASE("a window much too short, extended")
  {
    check_first_two(4, 1.0, [&] { return most_recent_records(4, 1.0, 3, 0.01, random); });
  }
  SUBCASE("uniform") { check_first_two(6, 0.0, [&] { return most_recent_records(6, 0.0, 2, 0.5, random); }); }
}

TEST_CASE("the most recent records are distinct, as many as asked (or all), and fixed by the seed")
{
  for (const auto& [records, count] : {std::pair<uint64_t, uint64_t>{1000, 100}, {1000, 1000}, {50, 80}, {100000, 30000}}) {
    RandomStream a(9, "test"), b(9, "test");
    const std::vector<uint32_t> recent = most_recent_records(records, 1.0, count, a);
    CHECK(recent.size() == std::min(records, count));
    std::vector<bool> seen(records);
    for (uint32_t r : recent) {
      REQUIRE(r < records);
      CHECK_FALSE(seen[r]);
      seen[r] = true;
    }
    CHECK(most_recent_records(records, 1.0, count, b) == recent);
  }
}

TEST_CASE("the stationary warm-up gives the hit ratio of a long replay and of Che's approximation within 0.5 %")
{
  for (const double s : {1.0, 0.9, 0.0}) {
    CAPTURE(s);
    IoWorkloadSpec spec = *io_profile("webserver");
    spec.request_bytes  = 4096;
    spec.read_fraction  = 1;
    spec.data_set_bytes = 200000.0 * 4096;
    spec.popularity     = s > 0 ? Popularity::Zipf : Popularity::Uniform;
    spec.zipf_exponent  = s;
    const MemoryLayout layout{40000, 4096, 0.5, 0, 0};  // 20000 frames of one page, a tenth of the data set
    auto hit_ratio = [&](PageCache& cache) {
      IoWorkload measured(spec, 4096, 1);  // the same 400000 requests for both caches
      CacheTraffic t;
      for (const IoRequest& r : measured.requests_for(40.0))
        cache.access(r.record, false, t);
      return static_cast<double>(t.hits) / static_cast<double>(t.hits + t.misses);
    };
    GuestMemory stationary_memory(layout);
    PageCache stationary(stationary_memory, 200000, 1);
    RandomStream random(2, "warm-up");
    stationary.warm_up(most_recent_records(200000, s, stationary.frames(), random));

    GuestMemory replayed_memory(layout);
    PageCache replayed(replayed_memory, 200000, 1);
    IoWorkload past(spec, 4096, 7);
    CacheTraffic t;
    for (const IoRequest& r : past.requests_for(100.0))  // a million requests: tens of turnovers
      replayed.access(r.record, false, t);

    // Che: the hit ratio is sum_k p_k (1 - exp(-p_k T)), with T such that sum_k 1 - exp(-p_k T) = frames.
    std::vector<double> p(200000);
    double sum = 0;
    for (size_t k = 0; k < p.size(); ++k)
      sum += p[k] = std::pow(static_cast<double>(k + 1), -s);
    double low = 0, high = 1e9;
    for (int i = 0; i < 100; ++i) {
      const double mid = (low + high) / 2;
      double distinct  = 0;
      for (double x : p)
        distinct -= std::expm1(-x / sum * mid);
      (distinct < 20000 ? low : high) = mid;
    }
    double che = 0;
    for (double x : p)
      che -= x / sum * std::expm1(-x / sum * low);

    const double h = hit_ratio(stationary), reference = hit_ratio(replayed);
    MESSAGE("s = " << s << ": stationary " << h << ", replayed " << reference << ", Che " << che);
    CHECK(h == doctest::Approx(reference).epsilon(0.005));
    CHECK(h == doctest::Approx(che).epsilon(0.005));
  }
}
