#include "models/consolidation/power_aware_consolidation.hpp"

#include "models/consolidation/mmt_selection.hpp"
#include "models/consolidation/pabfd_placement.hpp"

#include <algorithm>
#include <numeric>

namespace migsim {

ConsolidationDecisions PowerAwareConsolidation::decide(const DataCentreSnapshot& s)
{
  PlacementState state(s);
  const size_t n = state.host_count();
  const OverloadDetector& detector = *detector_;
  ConsolidationDecisions out;
  std::vector<int> source(s.vms.size(), -1);

  // 1. Overloaded hosts give up VMs by MMT; PABFD places them elsewhere.
  std::vector<bool> overloaded(n, false);
  for (size_t h = 0; h < n; ++h)
    overloaded[h] = state.powered_on(static_cast<int>(h)) && detector.overloaded(state, static_cast<int>(h));
  std::vector<int> leaving;
  for (size_t h = 0; h < n; ++h) {
    const int host = static_cast<int>(h);
    while (overloaded[h] && detector.overloaded(state, host)) {
      const int v = select_minimum_migration_time_vm(state, host);
      if (v < 0)
        break;
      state.remove(v, host);
      state.mark_moved(v);
      source[static_cast<size_t>(v)] = host;
      leaving.push_back(v);
    }
  }
  std::vector<bool> receives(n, false);
  const PlacementRules from_overloaded{overloaded, detector, true};
  const auto moved = place_power_aware_best_fit_decreasing(state, leaving, from_overloaded, false);
  std::vector<bool> placed(s.vms.size(), false);
  for (const VmMove& m : moved) {
    placed[static_cast<size_t>(m.vm)] = true;
    receives[static_cast<size_t>(m.destination)] = true;
    out.moves.push_back(m);
  }
  for (int v : leaving)
    if (!placed[static_cast<size_t>(v)])
      state.add(v, source[static_cast<size_t>(v)]);

  // 2. The least utilised hosts are emptied and switched off, while their VMs fit elsewhere.
  std::vector<bool> closed(n, false);  // may not receive VMs: overloaded, switched off, or emptied
  std::vector<int> candidates;
  for (size_t h = 0; h < n; ++h) {
    const int host = static_cast<int>(h);
    closed[h]      = overloaded[h] || !state.powered_on(host);
    if (!closed[h] && !receives[h] && !state.has_migration_in_flight(host))
      candidates.push_back(host);
  }
  // Receiving hosts leave the candidates, so the others' utilisation is that of the start of step 2.
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](int a, int b) { return state.utilisation(a) < state.utilisation(b); });
  for (int host : candidates) {
    if (receives[static_cast<size_t>(host)])
      continue;
    const std::vector<int> vms = state.vms_on(host);
    bool all_movable           = true;
    for (int v : vms)
      all_movable = all_movable && state.movable(v);
    if (!all_movable)
      continue;
    for (int v : vms)
      state.remove(v, host);
    closed[static_cast<size_t>(host)] = true;
    const PlacementRules onto_running{closed, detector, false};
    const auto emptied = place_power_aware_best_fit_decreasing(state, vms, onto_running, true);
    if (emptied.size() != vms.size()) {
      for (int v : vms)
        state.add(v, host);
      closed[static_cast<size_t>(host)] = false;
      continue;
    }
    for (const VmMove& m : emptied) {
      state.mark_moved(m.vm);
      receives[static_cast<size_t>(m.destination)] = true;
      out.moves.push_back(m);
    }
    out.switch_off.push_back(host);
  }

  for (size_t h = 0; h < n; ++h)
    if (state.powered_on(static_cast<int>(h)) && !s.hosts[h].powered_on)
      out.switch_on.push_back(static_cast<int>(h));
  return out;
}

}  // namespace migsim
