// The bookkeeping of a consolidated data centre over continuous time: where each VM runs, which hosts
// are on, and the study's metrics (ConsolidationMetrics) accumulated between events. The caller changes the VMs' demands at each period, and reports migrations as they start
// and end and the hosts switched on or to be switched off; the ledger keeps the rules of the study:
//  - a migrating VM loads its source until its migration ends and its destination from then on, and is
//    degraded (PDM) for as long as it migrates;
//  - a host to be switched off stays on until its last VM has left it, then draws nothing;
//  - only the time up to close() is accounted.
// It never decides anything: decisions are the policy's (consolidation_policy.hpp). No SimGrid here:
// the engine drives it with simulated migrations, tests with migrations of a given length.
#pragma once

#include "models/consolidation/consolidation_metrics.hpp"
#include "models/consolidation/datacentre_snapshot.hpp"

#include <vector>

namespace migsim {

class ConsolidationLedger {
public:
  /// `vms[v].host` is each VM's first host (all placed); hosts holding a VM are switched on.
  ConsolidationLedger(std::vector<HostState> hosts, std::vector<VmState> vms, double degradation);

  const std::vector<HostState>& hosts() const { return hosts_; }
  const std::vector<VmState>& vms() const { return vms_; }
  double now() const { return now_; }

  // Each change happens at time t (>= now()): the time up to t is accounted at the state before it.

  /// VM `v` asks for `mips` from t on; its history (oldest first) keeps at most `history` values.
  void set_demand(double t, int v, double mips, size_t history);
  void switch_on(double t, int host);
  /// Switches `host` off at t if it holds no VM and none is arriving, else once its last VM has left.
  void switch_off_when_empty(double t, int host);
  void migration_started(double t, int v, int destination);
  void migration_ended(double t, int v);
  /// Accounts up to t, and nothing after it: the run's end (later changes only move VMs).
  void close(double t);

  int active_hosts() const;
  /// The data centre's power draw now (W): each active host's curve at its requested utilisation.
  double power_W() const;
  int migrations_in_flight() const { return in_flight_; }
  ConsolidationSummary summary() const { return metrics_.summary(); }
  long shutdowns() const { return shutdowns_; }

private:
  void advance(double t);
  void leave_if_switching_off(int host);

  std::vector<HostState> hosts_;
  std::vector<VmState> vms_;
  std::vector<double> demand_;       // per host: the demand of the VMs running there
  std::vector<int> resident_;        // per host: VMs running there or arriving
  std::vector<bool> switching_off_;  // per host: to be switched off once empty
  ConsolidationMetrics metrics_;
  double now_     = 0;
  bool closed_    = false;
  int in_flight_  = 0;
  long shutdowns_ = 0;
};

}  // namespace migsim
