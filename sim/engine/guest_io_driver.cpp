#include "sim/engine/guest_io_driver.hpp"

#include "models/lru_steady_state.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <cmath>

namespace sg4 = simgrid::s4u;

namespace migsim {

GuestIoDriver::GuestIoDriver(const Scenario& s, RunningGuest& guest, const MigrationHosts& hosts,
                             const std::string& name)
    : scenario_(s)
    , guest_(guest)
    , workload_(s.io, s.memory.page_size, s.seed)
    , cache_(guest.memory(), workload_.records(), workload_.blocks_per_request())
    , to_source_(name + "-io-source", hosts.source, 1, UINT64_MAX, 0)
    , to_destination_(name + "-io-destination", hosts.destination, 1, UINT64_MAX, 0)
{
  if (s.io.requests_per_s > 0) {
    RandomStream random(s.seed, "io-warm-up");
    cache_.warm_up(most_recent_records(workload_.records(), workload_.popularity_exponent(), cache_.frames(), random));
  }
}

void GuestIoDriver::run()
{
  const double step   = scenario_.io.step_s;
  const uint64_t page = scenario_.memory.page_size;
  while (stop_at_ < 0 || sg4::Engine::get_clock() < stop_at_) {
    const double start = sg4::Engine::get_clock();
    if (!guest_.running()) {
      sg4::this_actor::sleep_for(step);
      continue;
    }
    guest_.run_until(start);
    if (on_step_)
      on_step_();
    CacheTraffic traffic;
    const auto& requests = workload_.requests_for(step);
    const uint64_t miss_requests = cache_.access_all(requests, traffic);
    const double writeback = writeback_carry_ + scenario_.io.writeback_Bps * step / static_cast<double>(page);
    writeback_carry_       = writeback - std::floor(writeback);
    cache_.write_back(static_cast<uint64_t>(writeback), traffic);
    // Write-backs travel the same SAN links as reads: SimGrid links are shared by both directions.
    const uint64_t bytes = (traffic.misses + traffic.write_backs) * page;
    if (bytes > 0)
      (at_destination_ ? to_destination_ : to_source_).send(bytes);
    // The misses' access time, then whatever remains of the step: one sleep, as long as the longer.
    const double access = static_cast<double>(miss_requests) * scenario_.platform.storage_access_s / scenario_.io_depth;
    const double rest   = step - (sg4::Engine::get_clock() - start);
    if (std::max(access, rest) > 0)
      sg4::this_actor::sleep_for(std::max(access, rest));
    counters_.served_bytes += static_cast<double>(requests.size()) * scenario_.io.request_bytes;
    counters_.hits += traffic.hits;
    counters_.misses += traffic.misses;
  }
}

}  // namespace migsim
