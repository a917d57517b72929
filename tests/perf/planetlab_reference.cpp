// A CloudSim-like reference run of the consolidation policies, without a network: the PlanetLab day
// on the study's 800 hosts (ML110 G4 and G5, alternating) and its VMs (the four types in CloudSim's
// order), every migration priced as CloudSim prices it, RAM / (bandwidth / 2), on an unshared network.
// It checks that the policies migrate and give plausible energy and SLA figures, and times them.
//
// The day: every 300 s each VM asks for its trace's CPU share of its MIPS; the policy then decides;
// its migrations start at once and end after their priced time (all within the period here: 9.8-27.8
// s). A migrating VM loads its source until it ends and its destination from then on; it is degraded
// for its whole migration (PDM). A host switched off stops drawing power when its last VM has left;
// a host switched on draws from the start of the period. VMs start where PABFD puts them at their full
// MIPS on hosts that are all off, as in CloudSim. CloudSim's PlanetLab VMs ask for no memory once
// running (their cloudlets' RAM utilisation model is UtilizationModelNull), so memory never limits
// where they go; the hosts here have unbounded memory to match, unless --memory-bound gives them
// their 4096 MB (memory still prices every migration).
//
// Usage: planetlab_reference TRACE_FOLDER [--hosts N] [--memory-bound] [POLICY...]   (default: every policy)
// Prints one line per policy: energy (kWh), migrations, SLATAH, PDM, SLAV, ESV, shutdowns, wall time.
// A bad folder or trace file: one line on stderr, exit status 2.
#include "models/consolidation/benchmark_machines.hpp"
#include "models/consolidation/consolidation_metrics.hpp"
#include "models/consolidation/consolidation_registry.hpp"
#include "models/consolidation/pabfd_placement.hpp"
#include "models/consolidation/thr_mmt_policy.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/planetlab_trace.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace migsim;

namespace {

constexpr size_t history_kept = 30;  // the longest history a policy asks for by default

struct DayResult {
  ConsolidationSummary summary;
  long shutdowns = 0;
  double wall_s  = 0;
};

struct Migration {
  int vm, from, to;
  double end_s;  // from the start of the period
};

DayResult run_day(const std::string& policy_name, const std::vector<CpuTrace>& traces, int host_count, bool memory_bound)
{
  const auto start = std::chrono::steady_clock::now();
  const auto host_types = benchmark_host_types();
  const auto vm_types   = benchmark_vm_types();
  std::vector<HostState> hosts(static_cast<size_t>(host_count));
  for (size_t h = 0; h < hosts.size(); ++h) {
    const ServerModel& t     = host_types[h % host_types.size()];
    hosts[h].cores        = t.cores;
    hosts[h].core_mips    = t.core_mips;
    hosts[h].memory_bytes = memory_bound ? t.memory_bytes : HUGE_VAL;
    hosts[h].migration_Bps = t.bandwidth_Bps / 2;  // CloudSim: RAM / (bw / 2)
    hosts[h].power        = t.power;
    hosts[h].powered_on   = false;
  }
  const size_t n      = traces.size();
  const size_t per_type = (n + vm_types.size() - 1) / vm_types.size();
  std::vector<VmState> vms(n);
  for (size_t v = 0; v < n; ++v) {
    const VmType& t     = vm_types[v / per_type];
    vms[v].mips         = t.mips;
    vms[v].memory_bytes = t.memory_bytes;
    vms[v].demand_mips  = {t.mips};
  }
  {  // initial placement at full MIPS
    const DataCentreSnapshot s{0, hosts, vms};
    PlacementState state(s);
    std::vector<int> all(n);
    for (size_t v = 0; v < n; ++v)
      all[v] = static_cast<int>(v);
    const std::vector<bool> none(hosts.size(), false);
    const StaticThresholdDetector never(1.0);
    const auto moves = place_power_aware_best_fit_decreasing(state, all, PlacementRules{none, never, true}, false);
    if (moves.size() != n) {
      std::fprintf(stderr, "planetlab_reference: %zu VMs do not fit on %d hosts\n", n - moves.size(), host_count);
      std::exit(2);
    }
    for (const VmMove& m : moves) {
      vms[static_cast<size_t>(m.vm)].host = m.destination;
      hosts[static_cast<size_t>(m.destination)].powered_on = true;
    }
    for (auto& vm : vms)
      vm.demand_mips.clear();
  }

  const auto& declaration = ConsolidationRegistry::instance().find(policy_name);
  const auto policy       = declaration.make({});
  const double period     = param_value({}, declaration.params, "period");
  ConsolidationMetrics metrics(hosts.size(), n);
  DayResult result;
  const size_t periods = traces.empty() ? 0 : traces[0].utilisation.size();
  for (size_t k = 0; k < periods; ++k) {
    for (size_t v = 0; v < n; ++v) {
      auto& d = vms[v].demand_mips;
      d.push_back(traces[v].utilisation[k] * vms[v].mips);
      if (d.size() > history_kept)
        d.erase(d.begin());
    }
    const ConsolidationDecisions decisions = policy->decide(DataCentreSnapshot{static_cast<double>(k) * period, hosts, vms});
    std::vector<Migration> migrations;
    std::vector<double> migrating_s(n, 0);
    for (const VmMove& m : decisions.moves) {
      const int from    = vms[static_cast<size_t>(m.vm)].host;
      const double time = vms[static_cast<size_t>(m.vm)].memory_bytes / hosts[static_cast<size_t>(from)].migration_Bps;
      migrations.push_back({m.vm, from, m.destination, std::min(time, period)});
      migrating_s[static_cast<size_t>(m.vm)] = std::min(time, period);
      metrics.add_migration();
    }
    for (int h : decisions.switch_on)
      hosts[static_cast<size_t>(h)].powered_on = true;
    std::vector<double> off_at(hosts.size(), period);  // when a host stops drawing power this period
    std::vector<bool> switching_off(hosts.size(), false);
    for (int h : decisions.switch_off) {
      switching_off[static_cast<size_t>(h)] = true;
      off_at[static_cast<size_t>(h)]        = 0;
    }
    for (const Migration& m : migrations)
      if (switching_off[static_cast<size_t>(m.from)])
        off_at[static_cast<size_t>(m.from)] = std::max(off_at[static_cast<size_t>(m.from)], m.end_s);

    // Each host's load over the period: its resident VMs, minus leavers after they end, plus arrivals.
    std::vector<double> resident(hosts.size(), 0);
    std::vector<bool> moving(n, false);
    for (const Migration& m : migrations)
      moving[static_cast<size_t>(m.vm)] = true;
    for (size_t v = 0; v < n; ++v)
      if (!moving[v])
        resident[static_cast<size_t>(vms[v].host)] += vms[v].demand();
    std::vector<std::vector<std::pair<double, double>>> changes(hosts.size());  // (time, +-MIPS)
    for (const Migration& m : migrations) {
      const double d = vms[static_cast<size_t>(m.vm)].demand();
      resident[static_cast<size_t>(m.from)] += d;
      changes[static_cast<size_t>(m.from)].push_back({m.end_s, -d});
      changes[static_cast<size_t>(m.to)].push_back({m.end_s, +d});
    }
    for (size_t h = 0; h < hosts.size(); ++h) {
      if (!hosts[h].powered_on)
        continue;
      auto& c = changes[h];
      std::sort(c.begin(), c.end());
      double t = 0, load = resident[h];
      const double capacity = hosts[h].capacity_mips();
      for (const auto& [at, delta] : c) {
        const double until = std::min(at, off_at[h]);
        if (until > t)
          metrics.add_active_host_time(static_cast<int>(h), until - t, load / capacity, hosts[h].power);
        t    = std::max(t, until);
        load = std::max(0.0, load + delta);
      }
      if (off_at[h] > t)
        metrics.add_active_host_time(static_cast<int>(h), off_at[h] - t, load / capacity, hosts[h].power);
    }
    for (size_t v = 0; v < n; ++v)
      metrics.add_vm_time(static_cast<int>(v), period, vms[v].demand(), migrating_s[v]);

    for (const Migration& m : migrations)
      vms[static_cast<size_t>(m.vm)].host = m.to;
    for (int h : decisions.switch_off) {
      hosts[static_cast<size_t>(h)].powered_on = false;
      ++result.shutdowns;
    }
  }
  result.summary = metrics.summary();
  result.wall_s  = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace

int main(int argc, char** argv)
{
  if (argc < 2) {
    std::fprintf(stderr, "usage: planetlab_reference TRACE_FOLDER [--hosts N] [--memory-bound] [POLICY...]\n");
    return 2;
  }
  int host_count   = 800;
  bool memory_bound = false;
  std::vector<std::string> policies;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--hosts" && i + 1 < argc)
      host_count = std::atoi(argv[++i]);
    else if (arg == "--memory-bound")
      memory_bound = true;
    else
      policies.push_back(arg);
  }
  const auto& registry = ConsolidationRegistry::instance();
  if (policies.empty())
    for (const auto& p : registry.all())
      policies.push_back(p.name);
  std::vector<CpuTrace> traces;
  try {
    for (const auto& p : policies)
      registry.find(p);
    const auto load_start = std::chrono::steady_clock::now();
    traces = read_planetlab_folder(argv[1]);
    std::printf("read %zu traces in %.3f s\n", traces.size(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "planetlab_reference: error: %s\n", e.what());
    return 2;
  }
  std::printf("%-8s %10s %10s %9s %9s %11s %11s %9s %8s\n", "policy", "energy_kWh", "migrations", "SLATAH_%",
              "PDM_%", "SLAV", "ESV", "shutdowns", "wall_s");
  for (const auto& p : policies) {
    const DayResult r = run_day(p, traces, host_count, memory_bound);
    const auto& s     = r.summary;
    std::printf("%-8s %10.2f %10ld %9.3f %9.4f %11.3e %11.3e %9ld %8.3f\n", p.c_str(), s.energy_kwh, s.migrations,
                100 * s.slatah, 100 * s.pdm, s.slav, s.esv, r.shutdowns, r.wall_s);
  }
  return 0;
}
