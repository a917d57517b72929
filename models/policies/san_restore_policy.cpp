#include "models/policies/san_restore_policy.hpp"

#include "models/policies/qemu_options_policy.hpp"
#include "models/policies/san_mapping.hpp"

namespace migsim {

PolicyDeclaration san_restore_declaration()
{
  return {"san-restore", "destination reads clean cache from the SAN in parallel with pre-copy (Akiyama 2014)",
          with_qemu_option_specs({map_time_per_GiB_spec()}), [](const PolicyParams& p) {
            return with_qemu_options(std::make_unique<SanRestorePolicy>(p.at("map_time_per_GiB")), p);
          },
          always_reads_san};
}

RoundPlan SanRestorePolicy::first_round(const MigrationSnapshot& s)
{
  RoundPlan plan = RoundPlan::over_lan(s.memory.dirty());
  plan.san.pages = s.memory.pages_of(PageClass::CleanCache) & s.memory.dirty();
  plan.lan.pages.subtract(plan.san.pages);
  plan.san.setup_s = map_time(s, plan.san.pages.count());
  return plan;
}

void SanRestorePolicy::stop_rule(const MigrationSnapshot& s, RoundPlan& plan)
{
  PrecopyPolicy::stop_rule(s, plan);
  SwitchoverDecision& switchover = plan.switchover;
  if (switchover.kind == Switchover::StopAndCopy && switchover.reason == StopReason::Converged &&
      s.san_pending_bytes > 0) {
    // Pre-copy has converged but the restore has not: keep the guest running, send what is dirty and
    // let this round last until the restore is done; the next round sends what was dirtied meanwhile.
    switchover.kind         = Switchover::None;
    switchover.wait_for_san = true;
  }
}

}  // namespace migsim
