#include "sim/engine/energy_meter.hpp"

#include <simgrid/plugins/energy.h>

namespace migsim {

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
  result.source_energy_j      = sg_host_get_consumed_energy(hosts_.source) - source_at_start_J_;
  result.destination_energy_j = sg_host_get_consumed_energy(hosts_.destination) - destination_at_start_J_;
  result.energy_j = result.source_energy_j + result.destination_energy_j +
                    spec_.network_J_per_byte * static_cast<double>(result.lan_bytes) +
                    spec_.storage_J_per_byte * static_cast<double>(result.san_bytes);
}

}  // namespace migsim
