// MMT selection, PABFD placement, the overload detectors and whole periods of the policies, on small
// data centres whose answers can be worked by hand. Hosts are ML110 G5 (2 x 2660 MIPS = 5320 MIPS,
// 4096 MB) unless said otherwise; 532 MIPS is 10 % of one.
#include "models/consolidation/benchmark_machines.hpp"
#include "models/consolidation/consolidation_registry.hpp"
#include "models/consolidation/lr_mmt_policy.hpp"
#include "models/consolidation/mmt_selection.hpp"
#include "models/consolidation/pabfd_placement.hpp"
#include "models/consolidation/spread_threshold_detector.hpp"
#include "models/consolidation/robust_statistics.hpp"
#include "models/consolidation/thr_mmt_policy.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace migsim;

namespace {

HostState g5_host(bool on = true)
{
  const ServerModel t = hp_proliant_ml110_g5();
  HostState h;
  h.cores         = t.cores;
  h.core_mips     = t.core_mips;
  h.memory_bytes  = t.memory_bytes;
  h.migration_Bps = t.bandwidth_Bps / 2;
  h.power         = t.power;
  h.powered_on    = on;
  return h;
}

VmState vm_on(int host, std::vector<double> demand, double memory_bytes = 613e6)
{
  VmState v;
  v.host         = host;
  v.mips         = 2500;
  v.memory_bytes = memory_bytes;
  v.demand_mips  = std::move(demand);
  return v;
}

class NeverOverloaded : public OverloadDetector {
public:
  bool overloaded(const PlacementState&, int) const override { return false; }
};

ConsolidationDecisions run_policy(const std::string& name, const std::vector<HostState>& hosts,
                                  const std::vector<VmState>& vms, const PolicyParams& params = {})
{
  const auto policy = ConsolidationRegistry::instance().find(name).make(params);
  return policy->decide(DataCentreSnapshot{0, hosts, vms});
}

}  // namespace

TEST_CASE("MMT picks the VM with the least memory, not one already migrating")
{
  std::vector<HostState> hosts{g5_host(), g5_host()};
  std::vector<VmState> vms{vm_on(0, {100}, 1740e6), vm_on(0, {100}, 870e6), vm_on(0, {100}, 613e6),
                           vm_on(0, {100}, 100e6)};
  vms[3].migrating_to = 1;  // the smallest, but on its way already
  const DataCentreSnapshot s{0, hosts, vms};
  PlacementState state(s);
  CHECK(select_minimum_migration_time_vm(state, 0) == 2);
  state.mark_moved(2);
  CHECK(select_minimum_migration_time_vm(state, 0) == 1);
  // Two VMs of equal memory: the lower index.
  std::vector<VmState> twins{vm_on(0, {1}, 613e6), vm_on(0, {1}, 613e6)};
  const DataCentreSnapshot t{0, hosts, twins};
  CHECK(select_minimum_migration_time_vm(PlacementState(t), 0) == 0);
}

TEST_CASE("PABFD picks the host with the least power increase")
{
  // Running hosts at 20 %, 50 % and 90 %, one host off. A 10 % VM raises them by
  // P(0.3) - P(0.2) = 105 - 101 = 4 W, P(0.6) - P(0.5) = 121 - 116 = 5 W, P(1.0) - P(0.9) = 135 - 133 = 2 W;
  // switching host 3 on costs P(0.1) = 97 W.
  std::vector<HostState> hosts{g5_host(), g5_host(), g5_host(), g5_host(false)};
  std::vector<VmState> vms{vm_on(0, {1064}), vm_on(1, {2660}), vm_on(2, {4788}), vm_on(0, {532})};
  const DataCentreSnapshot s{0, hosts, vms};
  PlacementState state(s);
  state.remove(3, 0);
  std::vector<bool> none(4, false);
  NeverOverloaded never;
  CHECK(power_aware_best_fit(state, 3, PlacementRules{none, never, true}) == 2);
  // THR 0.8 calls host 2 overloaded with it (100 %): host 0 at +4 W is next, not host 1 at +5 W.
  StaticThresholdDetector thr(0.8);
  CHECK(power_aware_best_fit(state, 3, PlacementRules{none, thr, true}) == 0);
  // Only the switched-off host left: switched on if allowed, else nowhere.
  std::vector<bool> running_closed{true, true, true, false};
  CHECK(power_aware_best_fit(state, 3, PlacementRules{running_closed, thr, true}) == 3);
  CHECK(power_aware_best_fit(state, 3, PlacementRules{running_closed, thr, false}) == -1);
}

TEST_CASE("PABFD respects memory and places the largest demand first")
{
  // Host 0 has 1740 MB free (4096 - 2356), host 1 all of it. VM 2 (1740 MB, 2000 MIPS) goes first
  // and takes host 0 (+ less power on a running host); VM 3 (1740 MB) no longer fits there.
  std::vector<HostState> hosts{g5_host(), g5_host()};
  std::vector<VmState> vms{vm_on(0, {500}, 2356e6), vm_on(1, {500}, 100e6), vm_on(0, {2000}, 1740e6),
                           vm_on(0, {1000}, 1740e6)};
  const DataCentreSnapshot s{0, hosts, vms};
  PlacementState state(s);
  state.remove(2, 0);
  state.remove(3, 0);
  std::vector<bool> none(2, false);
  NeverOverloaded never;
  const auto moves = place_power_aware_best_fit_decreasing(state, {3, 2}, PlacementRules{none, never, false}, false);
  REQUIRE(moves.size() == 2);
  CHECK(moves[0] == VmMove{2, 0});
  CHECK(moves[1] == VmMove{3, 1});
  // All or nothing: a VM that fits nowhere undoes the others.
  std::vector<bool> only_host0{false, true};
  PlacementState again(s);
  again.remove(2, 0);
  again.remove(3, 0);
  CHECK(place_power_aware_best_fit_decreasing(again, {2, 3}, PlacementRules{only_host0, never, false}, true).empty());
  CHECK(again.vms_on(0).size() == 1);
}

TEST_CASE("the adaptive thresholds: IQR and MAD over the history, THR while it is short")
{
  // One VM whose demand history gives the host the utilisations below (x 5320 MIPS).
  std::vector<double> u{0.3, 0.3, 0.3, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.76};
  std::vector<double> demand;
  for (double x : u)
    demand.push_back(x * 5320);
  std::vector<HostState> hosts{g5_host()};
  std::vector<VmState> vms{vm_on(0, demand)};
  const DataCentreSnapshot s{0, hosts, vms};
  PlacementState state(s);
  REQUIRE(state.utilisation_history(0, 30).size() == 12);
  CHECK(state.utilisation_history(0, 30)[11] == doctest::Approx(0.76));
  // IQR: halves {.3,.3,.3,.5,.5,.5} and {.5,.5,.5,.5,.5,.76}: quartiles 0.4 and 0.5, IQR 0.1.
  // Threshold 1 - 1.5 x 0.1 = 0.85 > 0.76: not overloaded; with s = 2.5, 0.75 < 0.76: overloaded.
  auto iqr = [](const std::vector<double>& h) { return interquartile_range(h); };
  CHECK_FALSE(SpreadThresholdDetector(iqr, 1.5, 30, 12, 0.7).overloaded(state, 0));
  CHECK(SpreadThresholdDetector(iqr, 2.5, 30, 12, 0.7).overloaded(state, 0));
  // MAD: median 0.5, deviations 0.2 x 3, 0 x 8, 0.26: MAD 0; threshold 1: not overloaded.
  auto mad = [](const std::vector<double>& h) { return median_absolute_deviation(h); };
  CHECK_FALSE(SpreadThresholdDetector(mad, 2.5, 30, 12, 0.7).overloaded(state, 0));
  // Asked for 13 values of history, 12 are there: the fallback 0.7 < 0.76 decides.
  CHECK(SpreadThresholdDetector(mad, 2.5, 30, 13, 0.7).overloaded(state, 0));
}

TEST_CASE("LR extrapolates to the end of the longest migration, in whole periods, times the safety")
{
  // Utilisation 0.085 x i for i = 1..10: loess returns the line. An 870 MB VM leaves at 62.5 MB/s in
  // 13.92 s, rounded up to one 300 s period: predicted 0.085 x 11 = 0.935; x 1.2 = 1.122 >= 1.
  std::vector<double> demand;
  for (int i = 1; i <= 10; ++i)
    demand.push_back(0.085 * i * 5320);
  std::vector<HostState> hosts{g5_host()};
  std::vector<VmState> vms{vm_on(0, demand, 870e6)};
  const DataCentreSnapshot s{0, hosts, vms};
  PlacementState state(s);
  const LocalRegressionDetector lr(false, 1.2, 10, 0.7, 300);
  CHECK(lr.predicted_utilisation(state, 0) == doctest::Approx(1.2 * 0.085 * 11));
  CHECK(lr.overloaded(state, 0));
  CHECK_FALSE(LocalRegressionDetector(false, 1.0, 10, 0.7, 300).overloaded(state, 0));  // 0.935
  // A 10 s period: 13.92 s is two periods ahead, 0.085 x 12 = 1.02.
  CHECK(LocalRegressionDetector(false, 1.0, 10, 0.7, 10).overloaded(state, 0));
  // 11 values asked for, 10 there: the fallback threshold decides (0.85 now).
  CHECK(LocalRegressionDetector(false, 1.0, 11, 0.7, 300).overloaded(state, 0));
  CHECK_FALSE(LocalRegressionDetector(false, 1.0, 11, 0.9, 300).overloaded(state, 0));
}

TEST_CASE("thr-mmt: an overloaded host sheds its smallest VM to the host it costs least power")
{
  // Host 0 at 90 % (> 0.8) with VMs of 1740, 613 and 870 MB: MMT takes the 613 MB one (VM 1, 30 %),
  // leaving 60 %. PABFD puts VM 1 on host 2 (10 -> 40 %: 97 -> 110 W, +13 W) rather than on the fuller
  // host 1 (40 -> 70 %: 110 -> 125 W, +15 W): power, not utilisation, decides. Then host 1 (40 %), the
  // least utilised host that did not receive, is emptied onto host 2 (40 -> 80 %, not above 0.8) and
  // switched off. Host 3 is off and stays off.
  std::vector<HostState> hosts{g5_host(), g5_host(), g5_host(), g5_host(false)};
  std::vector<VmState> vms{vm_on(0, {1596}, 1740e6), vm_on(0, {1596}, 613e6), vm_on(0, {1596}, 870e6),
                           vm_on(1, {2128}, 870e6), vm_on(2, {532}, 613e6)};
  const ConsolidationDecisions d = run_policy("thr-mmt", hosts, vms);
  REQUIRE(d.moves.size() == 2);
  CHECK(d.moves[0] == VmMove{1, 2});
  CHECK(d.moves[1] == VmMove{3, 2});
  CHECK(d.switch_off == std::vector<int>{1});
  CHECK(d.switch_on.empty());
}

TEST_CASE("thr-mmt empties the least utilised host and switches it off")
{
  // Host 0 at 10 %, host 1 at 50 %: host 0's VM fits on host 1 (60 % <= 0.8), so host 0 is emptied
  // and switched off; host 1 then receives and is not emptied itself.
  std::vector<HostState> hosts{g5_host(), g5_host()};
  std::vector<VmState> vms{vm_on(0, {532}), vm_on(1, {2660})};
  const ConsolidationDecisions d = run_policy("thr-mmt", hosts, vms);
  REQUIRE(d.moves.size() == 1);
  CHECK(d.moves[0] == VmMove{0, 1});
  CHECK(d.switch_off == std::vector<int>{0});
  // With the threshold at 0.55, host 1 would be overloaded with it: nothing moves.
  CHECK(run_policy("thr-mmt", hosts, vms, {{"threshold", 0.55}}).moves.empty());
}

TEST_CASE("thr-mmt switches a host on when no running host can take a VM")
{
  // One running host at 90 % with two VMs; shedding the smaller leaves 45 %; nowhere to put it but
  // the switched-off host 1, which is switched on.
  std::vector<HostState> hosts{g5_host(), g5_host(false)};
  std::vector<VmState> vms{vm_on(0, {2394}, 1740e6), vm_on(0, {2394}, 613e6)};
  const ConsolidationDecisions d = run_policy("thr-mmt", hosts, vms);
  REQUIRE(d.moves.size() == 1);
  CHECK(d.moves[0] == VmMove{1, 1});
  CHECK(d.switch_on == std::vector<int>{1});
  CHECK(d.switch_off.empty());  // host 0 is overloaded this period, host 1 receives
}

TEST_CASE("the underload step: empty hosts first, hosts with migrations in flight are not emptied")
{
  // Host 1 (75 %) sends VM 2 to host 3: neither is emptied this period. Host 2 runs empty: switched
  // off first (0 %). Host 0 (10 %) is next: its VM cannot go to host 1 (85 % > 0.8) but fits on host 3,
  // which holds the arriving VM 2 (10 MIPS): emptied and switched off.
  std::vector<HostState> hosts{g5_host(), g5_host(), g5_host(), g5_host()};
  std::vector<VmState> vms{vm_on(0, {532}), vm_on(1, {3990}), vm_on(1, {10})};
  vms[2].migrating_to = 3;
  const ConsolidationDecisions d = run_policy("thr-mmt", hosts, vms);
  REQUIRE(d.moves.size() == 1);
  CHECK(d.moves[0] == VmMove{0, 3});
  CHECK(d.switch_off == std::vector<int>{2, 0});
}

TEST_CASE("none decides nothing; the registry lists the six policies with the study's defaults")
{
  std::vector<HostState> hosts{g5_host(), g5_host()};
  std::vector<VmState> vms{vm_on(0, {5000}), vm_on(0, {100}), vm_on(1, {10})};
  const ConsolidationDecisions d = run_policy("none", hosts, vms);
  CHECK(d.moves.empty());
  CHECK(d.switch_off.empty());
  const auto& registry = ConsolidationRegistry::instance();
  CHECK(registry.names() == "none, thr-mmt, iqr-mmt, mad-mmt, lr-mmt, lrr-mmt");
  auto default_of = [&](const std::string& policy, const std::string& param) {
    const auto& specs = registry.find(policy).params;
    return param_value({}, specs, param);
  };
  CHECK(default_of("thr-mmt", "threshold") == 0.8);
  CHECK(default_of("iqr-mmt", "safety") == 1.5);
  CHECK(default_of("mad-mmt", "safety") == 2.5);
  CHECK(default_of("lr-mmt", "safety") == 1.2);
  CHECK(default_of("lrr-mmt", "safety") == 1.2);
  CHECK(default_of("lr-mmt", "history") == 10);
  CHECK(default_of("none", "period") == 300);
  CHECK_THROWS_AS(registry.find("thr"), UnknownConsolidationPolicy);
}
