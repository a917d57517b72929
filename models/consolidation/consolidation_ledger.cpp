#include "models/consolidation/consolidation_ledger.hpp"

#include <stdexcept>
#include <utility>

namespace migsim {

ConsolidationLedger::ConsolidationLedger(std::vector<HostState> hosts, std::vector<VmState> vms, double degradation)
    : hosts_(std::move(hosts))
    , vms_(std::move(vms))
    , demand_(hosts_.size(), 0)
    , resident_(hosts_.size(), 0)
    , switching_off_(hosts_.size(), false)
    , metrics_(hosts_.size(), vms_.size(), degradation)
{
  for (HostState& h : hosts_)
    h.powered_on = false;
  for (const VmState& vm : vms_) {
    if (vm.host < 0 || static_cast<size_t>(vm.host) >= hosts_.size())
      throw std::invalid_argument("consolidation ledger: a VM is not placed on a host");
    const auto h = static_cast<size_t>(vm.host);
    demand_[h] += vm.demand();
    ++resident_[h];
    hosts_[h].powered_on = true;
  }
}

void ConsolidationLedger::advance(double t)
{
  const double dt = t - now_;
  if (closed_ || dt <= 0)
    return;
  for (size_t h = 0; h < hosts_.size(); ++h)
    if (hosts_[h].powered_on)
      metrics_.add_active_host_time(static_cast<int>(h), dt, demand_[h] / hosts_[h].capacity_mips(), hosts_[h].power);
  for (size_t v = 0; v < vms_.size(); ++v)
    metrics_.add_vm_time(static_cast<int>(v), dt, vms_[v].demand(), vms_[v].migrating_to >= 0 ? dt : 0);
  now_ = t;
}

void ConsolidationLedger::close(double t)
{
  advance(t);
  closed_ = true;
}

void ConsolidationLedger::set_demand(double t, int v, double mips, size_t history)
{
  advance(t);
  VmState& vm = vms_[static_cast<size_t>(v)];
  demand_[static_cast<size_t>(vm.host)] += mips - vm.demand();
  vm.demand_mips.push_back(mips);
  if (vm.demand_mips.size() > history)
    vm.demand_mips.erase(vm.demand_mips.begin());
}

void ConsolidationLedger::switch_on(double t, int host)
{
  advance(t);
  hosts_[static_cast<size_t>(host)].powered_on = true;
  switching_off_[static_cast<size_t>(host)]    = false;
}

void ConsolidationLedger::switch_off_when_empty(double t, int host)
{
  advance(t);
  if (!hosts_[static_cast<size_t>(host)].powered_on)
    return;
  switching_off_[static_cast<size_t>(host)] = true;
  leave_if_switching_off(host);
}

void ConsolidationLedger::leave_if_switching_off(int host)
{
  const auto h = static_cast<size_t>(host);
  if (switching_off_[h] && resident_[h] == 0) {
    hosts_[h].powered_on = false;
    switching_off_[h]    = false;
    ++shutdowns_;
  }
}

void ConsolidationLedger::migration_started(double t, int v, int destination)
{
  advance(t);
  VmState& vm = vms_[static_cast<size_t>(v)];
  if (vm.migrating_to >= 0)
    throw std::logic_error("consolidation ledger: a VM migrates twice at once");
  vm.migrating_to = destination;
  ++resident_[static_cast<size_t>(destination)];
  hosts_[static_cast<size_t>(destination)].powered_on = true;
  switching_off_[static_cast<size_t>(destination)]    = false;
  ++in_flight_;
  metrics_.add_migration();
}

void ConsolidationLedger::migration_ended(double t, int v)
{
  advance(t);
  VmState& vm       = vms_[static_cast<size_t>(v)];
  const auto source = static_cast<size_t>(vm.host);
  const auto target = static_cast<size_t>(vm.migrating_to);
  demand_[source] -= vm.demand();
  demand_[target] += vm.demand();
  --resident_[source];
  vm.host         = vm.migrating_to;
  vm.migrating_to = -1;
  --in_flight_;
  leave_if_switching_off(static_cast<int>(source));
}

int ConsolidationLedger::active_hosts() const
{
  int n = 0;
  for (const HostState& h : hosts_)
    n += h.powered_on;
  return n;
}

double ConsolidationLedger::power_W() const
{
  double w = 0;
  for (size_t h = 0; h < hosts_.size(); ++h)
    if (hosts_[h].powered_on)
      w += hosts_[h].power.watts(demand_[h] / hosts_[h].capacity_mips());
  return w;
}

}  // namespace migsim
