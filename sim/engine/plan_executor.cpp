#include "sim/engine/plan_executor.hpp"

#include "sim/engine/guarded_actor.hpp"
#include "sim/engine/plan_energy.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <limits>
#include <utility>

namespace sg4 = simgrid::s4u;

namespace migsim {
namespace {

/// The most intervals [start, end) open at one time.
int peak_overlap(std::vector<std::pair<double, double>> intervals)
{
  std::vector<std::pair<double, int>> edges;
  for (const auto& [start, end] : intervals) {
    edges.emplace_back(start, +1);
    edges.emplace_back(end, -1);
  }
  std::sort(edges.begin(), edges.end());  // at equal times an end (-1) comes before a start
  int open = 0, peak = 0;
  for (const auto& e : edges)
    peak = std::max(peak, open += e.second);
  return peak;
}

}  // namespace

PlanExecutor::PlanExecutor(const Scenario& dc, const DatacentrePlatform& platform)
    : dc_(dc)
    , spec_(*dc.datacentre)
    , platform_(platform)
    , slots_(dc.plan.migrations.size())
    , memory_used_(spec_.hosts.size(), 0)
    , leaving_(spec_.hosts.size(), 0)
    , arriving_(spec_.hosts.size(), 0)
    , in_rack_(spec_.rack_count(), 0)
{
  for (const Scenario& vm : dc.vms)
    memory_used_[vm.host] += static_cast<double>(vm.memory.page_count * vm.memory.page_size);
  for (size_t m = 0; m < slots_.size(); ++m)
    slots_[m].source = dc.vms[dc.plan.migrations[m].vm].host;
}

double PlanExecutor::memory_of(size_t m) const
{
  const MemoryLayout& memory = dc_.vms[dc_.plan.migrations[m].vm].memory;
  return static_cast<double>(memory.page_count * memory.page_size);
}

bool PlanExecutor::may_start(size_t m, double now) const
{
  const PlannedMigration& p = dc_.plan.migrations[m];
  const PlanSpec& plan      = dc_.plan;
  const size_t source       = slots_[m].source;
  const int source_rack     = spec_.hosts[source].rack;
  const int destination_rack = spec_.hosts[p.destination].rack;
  if (now < p.start_s || running_ >= plan.max_running || leaving_[source] >= plan.max_per_source ||
      arriving_[p.destination] >= plan.max_per_destination || in_rack_[static_cast<size_t>(source_rack)] >= plan.max_per_rack ||
      in_rack_[static_cast<size_t>(destination_rack)] >= plan.max_per_rack)
    return false;
  for (size_t before : p.after)
    if (slots_[before].state != State::Done)
      return false;
  return memory_used_[p.destination] + memory_of(m) <= spec_.hosts[p.destination].type->memory_bytes;
}

void PlanExecutor::start(size_t m)
{
  const PlannedMigration& p = dc_.plan.migrations[m];
  Slot& slot                = slots_[m];
  const Scenario& vm        = dc_.vms[p.vm];
  slot.state   = State::Running;
  slot.start_s = sg4::Engine::get_clock();
  memory_used_[p.destination] += memory_of(m);
  ++running_;
  ++leaving_[slot.source];
  ++arriving_[p.destination];
  const auto source_rack      = static_cast<size_t>(spec_.hosts[slot.source].rack);
  const auto destination_rack = static_cast<size_t>(spec_.hosts[p.destination].rack);
  ++in_rack_[source_rack];
  if (destination_rack != source_rack)
    ++in_rack_[destination_rack];

  hosts_.push_back(platform_.migration_hosts(slot.source, p.destination));
  const MigrationHosts& hosts = hosts_.back();
  // Samples are timed from the plan's start (time 0), like the migrations' start_s.
  slot.migration     = std::make_unique<VmMigration>(vm, hosts, dc_.name + "/" + vm.vm_name, 0.0);
  VmMigration* moved = slot.migration.get();
  sg4::Actor::create("sampler", hosts.source, guarded([moved] { moved->run_sampler(); }))->daemonize();
  if (moved->has_io())
    sg4::Actor::create("guest-io", hosts.storage, guarded([moved] { moved->run_guest_io(); }));
  sg4::Actor::create("migration-sender", hosts.source, guarded([this, m, moved] {
                       moved->run_sender();
                       end(m);
                     }));
}

void PlanExecutor::end(size_t m)
{
  const PlannedMigration& p = dc_.plan.migrations[m];
  Slot& slot                = slots_[m];
  slot.state = State::Done;
  slot.end_s = sg4::Engine::get_clock();
  memory_used_[slot.source] -= memory_of(m);
  --running_;
  --leaving_[slot.source];
  --arriving_[p.destination];
  const auto source_rack      = static_cast<size_t>(spec_.hosts[slot.source].rack);
  const auto destination_rack = static_cast<size_t>(spec_.hosts[p.destination].rack);
  --in_rack_[source_rack];
  if (destination_rack != source_rack)
    --in_rack_[destination_rack];
  ended_->release();
}

void PlanExecutor::run()
{
  constexpr double never = std::numeric_limits<double>::infinity();
  for (;;) {
    const double now = sg4::Engine::get_clock();
    for (size_t m = 0; m < slots_.size(); ++m)  // in the plan's order
      if (slots_[m].state == State::Waiting && may_start(m, now))
        start(m);
    double next = never;
    bool waiting = false;
    for (size_t m = 0; m < slots_.size(); ++m)
      if (slots_[m].state == State::Waiting) {
        waiting = true;
        if (dc_.plan.migrations[m].start_s > now)
          next = std::min(next, dc_.plan.migrations[m].start_s);
      }
    if (!waiting && running_ == 0)
      return;
    if (running_ == 0 && next == never) {  // nothing will end and no start time is to come: no room, ever
      for (Slot& slot : slots_)
        if (slot.state == State::Waiting)
          slot.state = State::NoRoom;
      return;
    }
    if (next == never)
      ended_->acquire();
    else
      ended_->acquire_timeout(next - now);
  }
}

RunResult PlanExecutor::take_result()
{
  RunResult plan;
  plan.scenario           = dc_.name;
  plan.vm                 = "all";
  plan.policy             = "plan:" + dc_.migration.display_name();
  plan.seed               = dc_.seed;
  plan.status             = "ok";
  plan.is_datacentre_plan = true;
  plan.has_energy         = true;
  double first_start = std::numeric_limits<double>::infinity(), last_end = 0;
  std::vector<std::pair<double, double>> intervals;
  std::vector<HostMove> moves;
  for (size_t m = 0; m < slots_.size(); ++m) {
    const PlannedMigration& p = dc_.plan.migrations[m];
    Slot& slot                = slots_[m];
    const Scenario& vm        = dc_.vms[p.vm];
    RunResult r;
    if (slot.migration) {
      r = slot.migration->take_result();
      const double end = r.migration_start_s + r.total_time_s;
      first_start      = std::min(first_start, r.migration_start_s);
      last_end         = std::max(last_end, end);
      intervals.emplace_back(r.migration_start_s, end);
      moves.push_back({p.vm, slot.source, p.destination, end});
    } else {  // never started
      r.scenario     = dc_.name;
      r.vm           = vm.vm_name;
      r.policy       = vm.migration.display_name();
      r.seed         = vm.seed;
      r.status       = "no_room";
      r.memory_bytes = vm.memory.page_count * vm.memory.page_size;
      r.page_size    = vm.memory.page_size;
    }
    r.source_host      = spec_.hosts[slot.source].name;
    r.destination_host = spec_.hosts[p.destination].name;
    r.bottleneck_link  = platform_.narrowest_link(slot.source, p.destination);
    add_to_plan_row(plan, r);
    plan.vms.push_back(std::move(r));
  }
  if (intervals.empty())
    first_start = 0;
  plan.migration_start_s = first_start;
  plan.total_time_s      = last_end - first_start;
  plan.peak_concurrency  = peak_overlap(intervals);
  plan.page_size         = dc_.vms.front().memory.page_size;
  std::vector<size_t> host;
  std::vector<double> cpu;
  for (const Scenario& vm : dc_.vms) {
    host.push_back(vm.host);
    cpu.push_back(vm.cpu_cores);
  }
  const PlanEnergy energy = plan_energy(spec_, host, cpu, std::move(moves), last_end, dc_.plan.switch_off_empty);
  plan.energy_j           = energy.joules;
  plan.hosts_on_end       = energy.hosts_on_end;
  return plan;
}

}  // namespace migsim
