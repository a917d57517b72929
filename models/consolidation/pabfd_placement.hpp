// Power-aware best-fit decreasing (PABFD) placement, Beloglazov and Buyya (CCPE 24(13), 2012),
// Algorithm 1: the VMs are taken in decreasing order of CPU demand, and each goes to the host whose
// power draw rises least by taking it, among the hosts not excluded that have its memory and CPU
// demand free and that would not be overloaded with it (by the policy's own detector; a host without
// VMs is not asked, as a lone VM cannot be helped by moving it).
// A switched-off host, when allowed, draws nothing now, so taking a VM raises its draw by its whole
// power at the new load, idle power included: a running host that fits always wins over switching one
// on, unless none fits. Ties go to the lower host index; VMs of equal demand are taken by VM index.
#pragma once

#include "models/consolidation/placement_state.hpp"

#include <vector>

namespace migsim {

struct PlacementRules {
  const std::vector<bool>& excluded;  ///< hosts that may not receive VMs
  const OverloadDetector& detector;
  bool allow_switched_off;            ///< whether a switched-off host may be switched on for a VM
};

/// The host for `vm` (not placed anywhere in `state` now), -1 if none fits.
int power_aware_best_fit(PlacementState& state, int vm, const PlacementRules& rules);

/// Places `vms` (none of them placed in `state`) in decreasing demand, adding each to its host in
/// `state` (a switched-off host chosen is switched on there). Returns the moves made; a VM that fits
/// nowhere is left out of them. With `all_or_nothing`, one VM that fits nowhere undoes every move and
/// the result is empty.
std::vector<VmMove> place_power_aware_best_fit_decreasing(PlacementState& state, std::vector<int> vms,
                                                          const PlacementRules& rules, bool all_or_nothing);

}  // namespace migsim
