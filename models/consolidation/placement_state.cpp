#include "models/consolidation/placement_state.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace migsim {

PlacementState::PlacementState(const DataCentreSnapshot& snapshot)
    : snapshot_(snapshot), hosts_(snapshot.hosts.size()), moved_(snapshot.vms.size(), false)
{
  for (size_t h = 0; h < hosts_.size(); ++h)
    hosts_[h].powered_on = snapshot.hosts[h].powered_on;
  for (size_t v = 0; v < snapshot.vms.size(); ++v) {
    const VmState& vm = snapshot.vms[v];
    if (vm.host >= static_cast<int>(hosts_.size()))
      throw std::invalid_argument("VM " + std::to_string(v) + " is on no host of the snapshot");
    if (vm.host < 0)  // not placed yet: for PABFD to place
      continue;
    add(static_cast<int>(v), vm.host);
    if (vm.migrating_to >= 0) {
      if (static_cast<size_t>(vm.migrating_to) >= hosts_.size() || vm.migrating_to == vm.host)
        throw std::invalid_argument("VM " + std::to_string(v) + " migrates to no other host of the snapshot");
      add(static_cast<int>(v), vm.migrating_to);
      hosts_[static_cast<size_t>(vm.host)].in_flight         = true;
      hosts_[static_cast<size_t>(vm.migrating_to)].in_flight = true;
    }
  }
}

double PlacementState::utilisation(int host) const
{
  const double capacity = this->host(host).capacity_mips();
  return capacity > 0 ? demand_mips(host) / capacity : 0;
}

bool PlacementState::movable(int vm) const
{
  return this->vm(vm).migrating_to < 0 && !moved_[static_cast<size_t>(vm)];
}

bool PlacementState::fits(int vm, int host) const
{
  const VmState& v   = this->vm(vm);
  const HostState& h = this->host(host);
  return memory_bytes(host) + v.memory_bytes <= h.memory_bytes && demand_mips(host) + v.demand() <= h.capacity_mips();
}

double PlacementState::migration_time_s(int vm, int host) const
{
  const double rate = this->host(host).migration_Bps;
  return rate > 0 ? this->vm(vm).memory_bytes / rate : 0;
}

void PlacementState::add(int vm, int host)
{
  HostLoad& h = hosts_[static_cast<size_t>(host)];
  h.vms.push_back(vm);
  h.demand_mips += this->vm(vm).demand();
  h.memory_bytes += this->vm(vm).memory_bytes;
}

void PlacementState::remove(int vm, int host)
{
  HostLoad& h  = hosts_[static_cast<size_t>(host)];
  const auto it = std::find(h.vms.begin(), h.vms.end(), vm);
  if (it == h.vms.end())
    throw std::logic_error("VM " + std::to_string(vm) + " is not on host " + std::to_string(host));
  h.vms.erase(it);
  h.demand_mips -= this->vm(vm).demand();
  h.memory_bytes -= this->vm(vm).memory_bytes;
  if (h.vms.empty()) {  // no rounding residue on an empty host
    h.demand_mips  = 0;
    h.memory_bytes = 0;
  }
}

std::vector<double> PlacementState::utilisation_history(int host, size_t length) const
{
  const auto& vms = vms_on(host);
  if (vms.empty())
    return {};
  for (int v : vms)
    length = std::min(length, vm(v).demand_mips.size());
  std::vector<double> history(length, 0.0);
  const double capacity = this->host(host).capacity_mips();
  if (capacity <= 0)
    return history;
  for (int v : vms) {
    const auto& d = vm(v).demand_mips;
    for (size_t k = 0; k < length; ++k)
      history[k] += d[d.size() - length + k] / capacity;
  }
  return history;
}

}  // namespace migsim
