// Runs a data centre's plan (docs/datacentre.md): starts each migration once its start time has come,
// the migrations it comes `after` have ended, its destination has memory room for the VM, and the
// concurrency limits allow (at once: in all, per source host, per destination host, per rack). Each
// migration is today's per-VM model (VmMigration) on its own route of the shared platform, created when
// it starts: a VM that does not migrate has no page state. A migration holds its slot from its start
// until its sender ends (its end, or with guest IO the end of its observation window). Migrations that
// can never start (their destination never has room) end as `no_room`.
#pragma once

#include "sim/engine/datacentre_platform.hpp"
#include "sim/engine/run_result.hpp"
#include "sim/engine/vm_migration.hpp"
#include "sim/scenario/scenario.hpp"

#include <simgrid/s4u/Semaphore.hpp>

#include <deque>
#include <memory>
#include <vector>

namespace migsim {

class PlanExecutor {
public:
  PlanExecutor(const Scenario& datacentre, const DatacentrePlatform& platform);

  /// The plan's actor body: returns when every migration has ended or can never start.
  void run();
  /// The plan's result, one result per migration in `vms` (call after the simulation).
  RunResult take_result();

private:
  enum class State { Waiting, Running, Done, NoRoom };
  struct Slot {
    State state = State::Waiting;
    size_t source = 0;
    double start_s = 0, end_s = 0;  ///< as the plan saw them (its slot's hold)
    std::unique_ptr<VmMigration> migration;
  };

  bool may_start(size_t m, double now) const;
  void start(size_t m);
  void end(size_t m);
  double memory_of(size_t m) const;

  const Scenario& dc_;
  const DatacentreSpec& spec_;
  const DatacentrePlatform& platform_;
  std::vector<Slot> slots_;
  std::deque<MigrationHosts> hosts_;  // stable: the migrations' parts keep references into it
  std::vector<double> memory_used_;   // per host: its VMs and the ones arriving
  std::vector<int> leaving_, arriving_, in_rack_;
  int running_ = 0;
  simgrid::s4u::SemaphorePtr ended_ = simgrid::s4u::Semaphore::create(0);
};

}  // namespace migsim
