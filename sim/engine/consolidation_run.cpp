#include "sim/engine/consolidation_run.hpp"

#include "models/consolidation/consolidation_registry.hpp"
#include "sim/engine/guarded_actor.hpp"
#include "sim/scenario/consolidation_loader.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <stdexcept>
#include <string>

namespace sg4 = simgrid::s4u;

namespace migsim {
namespace {

std::vector<VmState> first_vms(const ConsolidationSpec& c)
{
  std::vector<VmState> vms(c.vm_type.size());
  for (size_t v = 0; v < vms.size(); ++v) {
    const ConsolidationVmType& t = c.types[static_cast<size_t>(c.vm_type[v])];
    vms[v].host                  = c.initial_host[v];
    vms[v].mips                  = t.mips;
    vms[v].memory_bytes          = t.memory_bytes;
  }
  return vms;
}

}  // namespace

ConsolidationRun::ConsolidationRun(const Scenario& dc, const DatacentrePlatform& platform)
    : dc_(dc)
    , spec_(*dc.consolidation)
    , platform_(platform)
    , policy_(ConsolidationRegistry::instance().find(spec_.policy).make(spec_.params))
    , ledger_(consolidation_hosts(*dc.datacentre, spec_.check_memory), first_vms(spec_), spec_.degradation)
{
}

void ConsolidationRun::run()
{
  for (size_t k = 0; k < spec_.periods; ++k) {
    const double now = static_cast<double>(k) * spec_.period_s;
    sg4::this_actor::sleep_until(now);
    for (size_t v = 0; v < spec_.vm_type.size(); ++v)
      ledger_.set_demand(now, static_cast<int>(v), spec_.utilisation[v][k] * ledger_.vms()[v].mips, spec_.history);
    const ConsolidationDecisions d = policy_->decide(DataCentreSnapshot{now, ledger_.hosts(), ledger_.vms()});
    for (int h : d.switch_on)
      ledger_.switch_on(now, h);
    for (const VmMove& m : d.moves)
      start(now, m);
    for (int h : d.switch_off)
      ledger_.switch_off_when_empty(now, h);
    outcome_.timeline.push_back({now, ledger_.active_hosts(), static_cast<int>(d.moves.size()),
                                 ledger_.migrations_in_flight(), ledger_.power_W()});
  }
  const double end = static_cast<double>(spec_.periods) * spec_.period_s;
  sg4::this_actor::sleep_until(end);
  ledger_.close(end);
  const ConsolidationSummary s = ledger_.summary();
  outcome_.energy_kwh = s.energy_kwh;
  outcome_.slatah     = s.slatah;
  outcome_.pdm        = s.pdm;
  outcome_.slav       = s.slav;
  outcome_.esv        = s.esv;
  outcome_.migrations = s.migrations;
  outcome_.shutdowns  = ledger_.shutdowns();
}

void ConsolidationRun::start(double now, const VmMove& move)
{
  const VmState& vm = ledger_.vms().at(static_cast<size_t>(move.vm));
  if (vm.migrating_to >= 0 || move.destination == vm.host || move.destination < 0 ||
      static_cast<size_t>(move.destination) >= ledger_.hosts().size())
    throw std::logic_error("consolidation policy '" + spec_.policy + "' asked for an impossible move of VM " +
                           std::to_string(move.vm));
  const auto source      = static_cast<size_t>(vm.host);
  const auto destination = static_cast<size_t>(move.destination);
  ledger_.migration_started(now, move.vm, move.destination);
  hosts_.push_back(platform_.migration_hosts(source, destination));
  const size_t index     = migrations_.size();
  const Scenario& type   = dc_.vms[static_cast<size_t>(spec_.vm_type[static_cast<size_t>(move.vm)])];
  const std::string name = dc_.name + "/" + spec_.vm_names[static_cast<size_t>(move.vm)] + "/" + std::to_string(index);
  migrations_.emplace_back();
  live_.push_back(std::make_unique<VmMigration>(type, hosts_.back(), name, 0.0));
  VmMigration* migration = live_.back().get();
  migration->start_guest_now();
  sg4::Actor::create("migration-sender", hosts_.back().source,
                     guarded([this, migration, index, vm_index = move.vm, source, destination] {
                       migration->run_sender();
                       migration->close();
                       RunResult r = migration->take_result();
                       r.vm               = spec_.vm_names[static_cast<size_t>(vm_index)];
                       r.source_host      = dc_.datacentre->hosts[source].name;
                       r.destination_host = dc_.datacentre->hosts[destination].name;
                       r.bottleneck_link  = platform_.narrowest_link(source, destination);
                       r.round_log.clear();  // tens of thousands of migrations: their rows only
                       r.samples.clear();
                       migrations_[index] = std::move(r);
                       live_[index].reset();  // its page state: a day has tens of thousands of migrations
                       ledger_.migration_ended(sg4::Engine::get_clock(), vm_index);
                     }));
}

RunResult ConsolidationRun::take_result()
{
  RunResult run;
  run.scenario           = dc_.name;
  run.vm                 = "all";
  run.policy             = "consolidation:" + spec_.policy + "+" + dc_.migration.display_name();
  run.seed               = dc_.seed;
  run.status             = "ok";
  run.is_datacentre_plan = true;
  run.page_size          = dc_.memory.page_size;
  double last_end = 0, migrating = 0, downtime = 0;
  size_t ended = 0;
  for (const RunResult& r : migrations_) {
    add_to_plan_row(run, r);
    last_end = std::max(last_end, r.migration_start_s + r.total_time_s);
    if (r.status == "ok") {
      migrating += r.total_time_s;
      downtime += r.downtime_s;
      ++ended;
    }
  }
  run.total_time_s = std::max(last_end, static_cast<double>(spec_.periods) * spec_.period_s);
  outcome_.policy           = spec_.policy;
  outcome_.hosts            = dc_.datacentre->hosts.size();
  outcome_.vms              = spec_.vm_type.size();
  outcome_.periods          = spec_.periods;
  outcome_.mean_migration_s = ended ? migrating / static_cast<double>(ended) : 0;
  outcome_.mean_downtime_s  = ended ? downtime / static_cast<double>(ended) : 0;
  run.consolidation         = std::move(outcome_);
  run.vms                   = std::move(migrations_);
  return run;
}

}  // namespace migsim
