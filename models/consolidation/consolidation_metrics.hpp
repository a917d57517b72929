// The metrics of Beloglazov and Buyya's consolidation study (CCPE 24(13), 2012, section 6.2),
// accumulated from the time the caller reports, interval by interval:
//  - energy E (kWh): the integral of each active host's power curve at its utilisation (requested
//    CPU over capacity, at most 1) over the time it is active; a switched-off host draws nothing;
//  - SLATAH = (1/N) sum_i Ts_i / Ta_i over the N hosts that were ever active: Ta_i the time host i was
//    active, Ts_i the part of it the VMs asked for 100 % or more of its CPU;
//  - PDM = (1/M) sum_j Cd_j / Cr_j over the M VMs that requested any CPU: Cr_j the CPU VM j
//    requested (MIPS x s), Cd_j its degradation due to migration, `degradation` (10 %) of the CPU it
//    requested while migrating;
//  - SLAV = SLATAH x PDM; ESV = E x SLAV.
// docs/consolidation.md says where these differ from CloudSim's Helper (pooled rather than averaged
// ratios, trapezoidal energy, a host at 0 % counted as off).
#pragma once

#include "models/consolidation/power_curve.hpp"

#include <cstddef>
#include <vector>

namespace migsim {

struct ConsolidationSummary {
  double energy_kwh = 0;
  double slatah     = 0;
  double pdm        = 0;
  double slav       = 0;
  double esv        = 0;
  long migrations   = 0;
};

class ConsolidationMetrics {
public:
  ConsolidationMetrics(size_t hosts, size_t vms, double degradation = 0.1);

  /// `host` was active for `dt_s` seconds with its VMs asking for `requested_utilisation` of its CPU.
  void add_active_host_time(int host, double dt_s, double requested_utilisation, const PowerCurve& power);
  /// `vm` asked for `demand_mips` for `dt_s` seconds, `migrating_s` of which it was migrating.
  void add_vm_time(int vm, double dt_s, double demand_mips, double migrating_s);
  void add_migration() { ++migrations_; }

  ConsolidationSummary summary() const;

private:
  struct HostTimes {
    double active_s    = 0;
    double saturated_s = 0;
  };
  struct VmCpu {
    double requested = 0;  ///< MIPS x s
    double degraded  = 0;
  };
  std::vector<HostTimes> hosts_;
  std::vector<VmCpu> vms_;
  double degradation_;
  double energy_J_ = 0;
  long migrations_ = 0;
};

}  // namespace migsim
