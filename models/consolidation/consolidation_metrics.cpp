#include "models/consolidation/consolidation_metrics.hpp"

#include <algorithm>

namespace migsim {

ConsolidationMetrics::ConsolidationMetrics(size_t hosts, size_t vms, double degradation)
    : hosts_(hosts), vms_(vms), degradation_(degradation)
{
}

void ConsolidationMetrics::add_active_host_time(int host, double dt_s, double requested_utilisation, const PowerCurve& power)
{
  HostTimes& h = hosts_[static_cast<size_t>(host)];
  h.active_s += dt_s;
  if (requested_utilisation >= 1)
    h.saturated_s += dt_s;
  energy_J_ += power.watts(std::min(requested_utilisation, 1.0)) * dt_s;
}

void ConsolidationMetrics::add_vm_time(int vm, double dt_s, double demand_mips, double migrating_s)
{
  VmCpu& v = vms_[static_cast<size_t>(vm)];
  v.requested += demand_mips * dt_s;
  v.degraded += degradation_ * demand_mips * std::min(migrating_s, dt_s);
}

ConsolidationSummary ConsolidationMetrics::summary() const
{
  ConsolidationSummary s;
  s.energy_kwh = energy_J_ / 3.6e6;
  s.migrations = migrations_;
  double sum   = 0;
  size_t n     = 0;
  for (const HostTimes& h : hosts_)
    if (h.active_s > 0) {
      sum += h.saturated_s / h.active_s;
      ++n;
    }
  s.slatah = n ? sum / static_cast<double>(n) : 0;
  sum      = 0;
  n        = 0;
  for (const VmCpu& v : vms_)
    if (v.requested > 0) {
      sum += v.degraded / v.requested;
      ++n;
    }
  s.pdm  = n ? sum / static_cast<double>(n) : 0;
  s.slav = s.slatah * s.pdm;
  s.esv  = s.energy_kwh * s.slav;
  return s;
}

}  // namespace migsim
