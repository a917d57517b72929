#include "models/policies/san_restore_policy.hpp"

#include <algorithm>

namespace migsim {

RoundPlan SanRestorePolicy::first_round(const MigrationSnapshot& s)
{
  RoundPlan plan = RoundPlan::over_lan(s.memory.dirty());
  plan.san       = s.memory.pages_of(PageClass::CleanCache) & s.memory.dirty();
  plan.lan.subtract(plan.san);
  plan.setup_s = map_time(s, plan.san.count());
  return plan;
}

void SanRestorePolicy::stop_rule(const MigrationSnapshot& s, RoundPlan& plan)
{
  PrecopyPolicy::stop_rule(s, plan);
  if (plan.switchover == Switchover::StopAndCopy && plan.status == "ok" && s.san_pending_bytes > 0 &&
      s.san_Bps > 0) {
    // Pre-copy has converged but the restore has not: keep the guest running, send what is dirty and
    // let this round last until the restore should be done, then stop.
    plan.switchover = Switchover::None;
    plan.min_duration_s = static_cast<double>(s.san_pending_bytes) / s.san_Bps;
  }
}

}  // namespace migsim
