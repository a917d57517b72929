#include "models/consolidation/mmt_selection.hpp"

namespace migsim {

int select_minimum_migration_time_vm(const PlacementState& state, int host)
{
  int best          = -1;
  double best_time  = 0;
  for (int v : state.vms_on(host)) {
    if (state.vm(v).host != host || !state.movable(v))
      continue;
    const double t = state.migration_time_s(v, host);
    if (best < 0 || t < best_time || (t == best_time && v < best)) {
      best      = v;
      best_time = t;
    }
  }
  return best;
}

}  // namespace migsim
