// drop-cache: discard the clean page cache at migration start and pre-copy the rest (Koto et al.,
// APSys 2012; proposed in Clark et al. 2005). Migration is short, but the VM arrives with a cold
// cache and re-reads from storage what it dropped: the post-migration IO penalty.
#pragma once

#include "models/policies/precopy_policy.hpp"
#include "models/policies/qemu_options_policy.hpp"

namespace migsim {

class DropCachePolicy : public PrecopyPolicy {
protected:
  RoundPlan first_round(const MigrationSnapshot& s) override
  {
    RoundPlan plan = RoundPlan::over_lan(s.memory.dirty());
    plan.drop      = s.memory.pages_of(PageClass::CleanCache);
    plan.lan.pages.subtract(plan.drop);
    return plan;
  }
};

inline PolicyDeclaration drop_cache_declaration()
{
  return {"drop-cache", "discard clean page cache at start, pre-copy the rest; VM arrives with a cold cache",
          with_qemu_option_specs({}),
          [](const PolicyParams& p) { return with_qemu_options(std::make_unique<DropCachePolicy>(), p); }};
}

}  // namespace migsim
