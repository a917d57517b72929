#include "sim/engine/energy_meter.hpp"

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u/Host.hpp>

namespace migsim {
namespace {

/// Watts one fully busy core adds to the host's idle power, in its current power state:
/// (all cores busy - idle) / cores, SimGrid's profile taken as linear in the busy cores.
double watts_per_busy_core(const simgrid::s4u::Host* host)
{
  const int pstate = static_cast<int>(host->get_pstate());
  return (sg_host_get_wattmax_at(host, pstate) - sg_host_get_idle_consumption_at(host, pstate)) / host->get_core_count();
}

}  // namespace

void EnergyMeter::start()
{
  if (!spec_.enabled)
    return;
  source_at_start_J_      = sg_host_get_consumed_energy(hosts_.source);
  destination_at_start_J_ = sg_host_get_consumed_energy(hosts_.destination);
}

void EnergyMeter::finish(RunResult& result) const
{
  if (!spec_.enabled)
    return;
  // The sender works on every LAN byte; the receiver on every LAN byte and every restored one.
  const auto lan = static_cast<double>(result.lan_bytes), san = static_cast<double>(result.san_bytes);
  const double source_cpu_s      = spec_.send_cpu_per_byte * lan;
  const double destination_cpu_s = spec_.recv_cpu_per_byte * (lan + san);
  result.source_energy_j = sg_host_get_consumed_energy(hosts_.source) - source_at_start_J_ +
                           watts_per_busy_core(hosts_.source) * source_cpu_s;
  result.destination_energy_j = sg_host_get_consumed_energy(hosts_.destination) - destination_at_start_J_ +
                                watts_per_busy_core(hosts_.destination) * destination_cpu_s;
  result.energy_j = result.source_energy_j + result.destination_energy_j +
                    spec_.network_J_per_byte * static_cast<double>(result.lan_bytes) +
                    spec_.storage_J_per_byte * static_cast<double>(result.san_bytes);
}

}  // namespace migsim
