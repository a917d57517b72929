// `make bench`'s breakdown of the guest IO model at full size, without SimGrid: the CPU time of building
// the page cache, drawing its steady state (lru_steady_state), installing it, and then of the requests
// of 65 simulated seconds (6500 steps of 10 ms: the Zipf draws, and the LRU accesses with write-back),
// for the web server (the default scenario's 4 GiB VM) and the database (paper-database's 8 GiB VM).
// Each figure is the best of 5 repetitions in this one process, so the first touch of fresh memory is
// mostly left out. Usage: io_model_phases
#include "models/guest_memory.hpp"
#include "models/io_workload.hpp"
#include "models/lru_steady_state.hpp"
#include "models/page_cache.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace migsim;

namespace {

double cpu_s()
{
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

void measure(const char* name, const MemoryLayout& layout, const char* profile)
{
  double best[5] = {1e9, 1e9, 1e9, 1e9, 1e9};
  uint64_t requests = 0;
  for (int repetition = 0; repetition < 5; ++repetition) {
    const double t0 = cpu_s();
    GuestMemory memory(layout);
    IoWorkload workload(*io_profile(profile), layout.page_size, 1);
    PageCache cache(memory, workload.records(), workload.blocks_per_request());
    const double t1 = cpu_s();
    RandomStream random(1, "io-warm-up");
    const auto recent = most_recent_records(workload.records(), workload.popularity_exponent(), cache.frames(), random);
    const double t2 = cpu_s();
    cache.warm_up(recent);
    const double t3 = cpu_s();
    CacheTraffic traffic;
    double draw = 0, access = 0;
    requests    = 0;
    for (int step = 0; step < 6500; ++step) {
      const double a  = cpu_s();
      const auto& rs  = workload.requests_for(0.01);
      const double b  = cpu_s();
      cache.access_all(rs, traffic);
      cache.write_back(25, traffic);
      draw += b - a;
      access += cpu_s() - b;
      requests += rs.size();
    }
    const double t[5] = {t1 - t0, t2 - t1, t3 - t2, draw, access};
    for (int i = 0; i < 5; ++i)
      best[i] = std::min(best[i], t[i]);
  }
  std::printf("%-10s %8.1f %10.1f %8.1f %8.1f %8.1f %10.0f\n", name, best[0] * 1e3, best[1] * 1e3, best[2] * 1e3,
              best[3] * 1e3, best[4] * 1e3, (best[3] + best[4]) / static_cast<double>(requests) * 1e9);
}

}  // namespace

int main()
{
  std::printf("IO model, CPU ms (best of 5)\n%-10s %8s %10s %8s %8s %8s %10s\n", "profile", "cache", "recency",
              "install", "draws", "access", "ns/request");
  measure("webserver", MemoryLayout{1ull << 20, 4096, 0.7, 0.01, 0.1}, "webserver");
  measure("database", MemoryLayout{2ull << 20, 4096, 0.6, 0.04, 0.05}, "database");
}
