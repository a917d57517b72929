// drop-cache: discard the clean page cache at migration start and pre-copy the rest (Koto et al.,
// APSys 2012; proposed in Clark et al. 2005). Migration is short, but the VM arrives with a cold
// cache and re-reads from storage what it dropped: the post-migration IO penalty.
#pragma once

#include "models/policies/precopy_policy.hpp"

namespace migsim {

class DropCachePolicy : public PrecopyPolicy {
protected:
  RoundPlan first_round(const MigrationSnapshot& s) override
  {
    RoundPlan plan = RoundPlan::over_lan(s.memory.dirty());
    plan.drop      = s.memory.pages_of(PageClass::CleanCache);
    plan.lan.subtract(plan.drop);
    return plan;
  }
};

}  // namespace migsim
