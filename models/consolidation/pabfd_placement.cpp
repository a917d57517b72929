#include "models/consolidation/pabfd_placement.hpp"

#include <algorithm>

namespace migsim {

int power_aware_best_fit(PlacementState& state, int vm, const PlacementRules& rules)
{
  int best              = -1;
  double best_increase  = 0;
  const double demand   = state.vm(vm).demand();
  for (int h = 0; h < static_cast<int>(state.host_count()); ++h) {
    if (rules.excluded[static_cast<size_t>(h)] || !state.fits(vm, h))
      continue;
    const bool on = state.powered_on(h);
    if (!on && !rules.allow_switched_off)
      continue;
    const HostState& host  = state.host(h);
    const double capacity  = host.capacity_mips();
    const double after     = host.power.watts((state.demand_mips(h) + demand) / capacity);
    const double increase  = on ? after - host.power.watts(state.utilisation(h)) : after;
    if (best >= 0 && !(increase < best_increase))
      continue;
    // The detector is the costly test: asked only of a host that would win.
    if (!state.vms_on(h).empty()) {
      state.add(vm, h);
      const bool overloaded = rules.detector.overloaded(state, h);
      state.remove(vm, h);
      if (overloaded)
        continue;
    }
    best          = h;
    best_increase = increase;
  }
  return best;
}

std::vector<VmMove> place_power_aware_best_fit_decreasing(PlacementState& state, std::vector<int> vms,
                                                          const PlacementRules& rules, bool all_or_nothing)
{
  std::stable_sort(vms.begin(), vms.end(), [&](int a, int b) {
    const double da = state.vm(a).demand(), db = state.vm(b).demand();
    return da != db ? da > db : a < b;
  });
  std::vector<VmMove> moves;
  std::vector<int> switched_on;
  for (int v : vms) {
    const int h = power_aware_best_fit(state, v, rules);
    if (h < 0) {
      if (!all_or_nothing)
        continue;
      for (const VmMove& m : moves)
        state.remove(m.vm, m.destination);
      for (int off : switched_on)
        state.set_powered_on(off, false);
      return {};
    }
    if (!state.powered_on(h)) {
      state.set_powered_on(h, true);
      switched_on.push_back(h);
    }
    state.add(v, h);
    moves.push_back({v, h});
  }
  return moves;
}

}  // namespace migsim
