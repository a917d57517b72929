#include "sim/engine/migration_simulation.hpp"

#include "sim/engine/consolidation_run.hpp"
#include "sim/engine/datacentre_platform.hpp"
#include "sim/engine/guarded_actor.hpp"
#include "sim/engine/plan_executor.hpp"
#include "sim/engine/platform_builder.hpp"
#include "sim/engine/engine_arguments.hpp"
#include "sim/engine/vm_migration.hpp"

#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <deque>
#include <exception>
#include <functional>
#include <memory>

namespace sg4 = simgrid::s4u;

namespace migsim {
namespace {

/// The actors of one VM's migration; the sender starts when `launch` is called.
struct VmActors {
  std::unique_ptr<VmMigration> migration;
  const MigrationHosts* hosts;

  void start_background()
  {
    auto* m = migration.get();
    sg4::Actor::create("sampler", hosts->source, guarded([m] { m->run_sampler(); }))->daemonize();
    if (m->has_io())
      sg4::Actor::create("guest-io", hosts->storage, guarded([m] { m->run_guest_io(); }));
  }
  sg4::ActorPtr launch()
  {
    auto* m = migration.get();
    return sg4::Actor::create("migration-sender", hosts->source, guarded([m] { m->run_sender(); }));
  }
};

/// Host evacuation: the plan-level result, from the per-VM ones.
RunResult plan_result(const Scenario& s, std::vector<RunResult> vms, double start)
{
  double end = start;  // the last resume
  for (const auto& r : vms)
    end = std::max(end, r.migration_start_s + r.total_time_s);
  RunResult plan;
  plan.scenario          = s.name;
  plan.vm                = "all";
  plan.policy            = "evacuation:" + s.evacuation;
  plan.seed              = s.seed;
  plan.status            = "ok";
  plan.migration_start_s = start;
  plan.total_time_s      = end - start;
  for (const auto& r : vms) {
    add_to_plan_row(plan, r);
    plan.has_energy = r.has_energy;
  }
  plan.page_size    = vms.front().page_size;
  plan.lan_path_Bps = vms.front().lan_path_Bps;
  plan.san_path_Bps = vms.front().san_path_Bps;
  plan.vms          = std::move(vms);
  return plan;
}

}  // namespace

RunResult simulate_migration(const Scenario& scenario)
{
  EngineArguments arguments("warning");
  // A simulation has a process of its own, which ends with it (SimGrid allows one engine per process):
  // the engine's teardown is left to that end, where it costs nothing (about 2 % of a small sweep run).
  sg4::Engine& engine = *new sg4::Engine(arguments.argc(), arguments.argv());
  configure_network_model(scenario.platform);
  if (scenario.consolidation) {
    const DatacentrePlatform platform(*scenario.datacentre);
    ConsolidationRun consolidation(scenario, platform);
    sg4::Actor::create("consolidation", platform.host(0), guarded([&consolidation] { consolidation.run(); }));
    engine.run();
    rethrow_actor_failure();
    return consolidation.take_result();
  }
  if (scenario.datacentre) {
    const DatacentrePlatform platform(*scenario.datacentre);
    PlanExecutor plan(scenario, platform);
    sg4::Actor::create("plan", platform.host(0), guarded([&plan] { plan.run(); }));
    engine.run();
    rethrow_actor_failure();
    return plan.take_result();
  }
  const MigrationHosts hosts = build_platform(scenario);
  const double start         = scenario.migration.start_s;

  if (scenario.vms.empty()) {
    VmActors vm{std::make_unique<VmMigration>(scenario, hosts, scenario.name, start), &hosts};
    vm.start_background();
    sg4::Actor::create("starter", hosts.source, guarded([&vm, start] {
                         sg4::this_actor::sleep_until(start);  // the guest runs before migration starts
                         vm.launch()->join();
                       }));
    engine.run();
    rethrow_actor_failure();
    return vm.migration->take_result();
  }

  std::vector<VmActors> vms;
  for (const Scenario& s : scenario.vms)
    vms.push_back({std::make_unique<VmMigration>(s, hosts, scenario.name + "/" + s.vm_name, start), &hosts});
  for (auto& vm : vms)
    vm.start_background();
  const size_t at_once = scenario.evacuation == "parallel"   ? vms.size()
                         : scenario.evacuation == "sequential" ? 1
                                                               : static_cast<size_t>(scenario.evacuation_batch);
  sg4::Actor::create("evacuation", hosts.source, guarded([&] {
    sg4::this_actor::sleep_until(start);
    std::deque<VmMigration*> running;
    for (auto& vm : vms) {  // at most `at_once` migrations at a time, in the order given
      if (running.size() == at_once) {
        running.front()->wait_until_resumed();
        running.pop_front();
      }
      vm.launch();
      running.push_back(vm.migration.get());
    }
  }));
  engine.run();
  rethrow_actor_failure();
  std::vector<RunResult> results;
  for (auto& vm : vms)
    results.push_back(vm.migration->take_result());
  return plan_result(scenario, std::move(results), start);
}

}  // namespace migsim
