// stop-and-copy: pause the guest, send all memory, resume. The downtime is the whole migration;
// the baseline of Clark et al. (NSDI 2005), whose 512 MB at 128/256/512 Mbit/s take 32/16/8 s.
// The whole copy is the final copy: not held to the bandwidth cap unless /migration/cap_final_copy.
#pragma once

#include "models/policies/migration_policy.hpp"

namespace migsim {

class StopAndCopyPolicy : public MigrationPolicy {
public:
  RoundPlan plan_round(const MigrationSnapshot& s) override
  {
    RoundPlan plan  = RoundPlan::over_lan(s.memory.dirty());
    plan.switchover.kind = Switchover::StopAndCopy;
    return plan;
  }
};

inline PolicyDeclaration stop_and_copy_declaration()
{
  return {"stop-and-copy", "pause the guest, send all memory, resume (downtime = total time)", {},
          [](const PolicyParams&) { return std::make_unique<StopAndCopyPolicy>(); }};
}

}  // namespace migsim
