// Runs a data centre's consolidation (docs/consolidation.md): every period the VMs' CPU demand takes
// its traces' next value, the consolidation policy sees the data centre (ConsolidationLedger's hosts
// and VMs) and decides, and each migration it asks for starts at once as today's per-VM model
// (VmMigration) on its route of the shared platform, so migrations take their simulated time, share the
// NICs, uplinks and spine, and move the VM (and its load) only when they end. The ledger accounts
// energy and the SLA metrics over the run; a migration still running when the run ends completes, but
// is accounted only up to the end.
#pragma once

#include "models/consolidation/consolidation_ledger.hpp"
#include "models/consolidation/consolidation_policy.hpp"
#include "sim/engine/datacentre_platform.hpp"
#include "sim/engine/run_result.hpp"
#include "sim/engine/vm_migration.hpp"
#include "sim/scenario/scenario.hpp"

#include <deque>
#include <memory>
#include <vector>

namespace migsim {

class ConsolidationRun {
public:
  ConsolidationRun(const Scenario& datacentre, const DatacentrePlatform& platform);

  /// The controller's actor body: returns when the last period has ended.
  void run();
  /// The run's result: the consolidation's outcome, one result per migration in `vms`.
  RunResult take_result();

private:
  void start(double now, const VmMove& move);

  const Scenario& dc_;
  const ConsolidationSpec& spec_;
  const DatacentrePlatform& platform_;
  std::unique_ptr<ConsolidationPolicy> policy_;
  ConsolidationLedger ledger_;
  std::deque<MigrationHosts> hosts_;  // stable: a migration's parts keep a reference into it
  std::vector<std::unique_ptr<VmMigration>> live_;  // by migration: null once it has ended
  std::vector<RunResult> migrations_;
  ConsolidationOutcome outcome_;
};

}  // namespace migsim
