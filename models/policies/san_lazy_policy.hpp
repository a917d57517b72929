// san-lazy: san-restore that does not wait for the restore. The VM resumes as soon as pre-copy of the
// LAN part converges; cache pages not yet restored are fetched from storage when the guest touches
// them (each such miss costs a storage read) while the restore goes on in the background. Shortest
// downtime of the SAN policies; the cache warms during the first seconds after resume.
#pragma once

#include "models/policies/qemu_options_policy.hpp"
#include "models/policies/san_mapping.hpp"
#include "models/policies/san_restore_policy.hpp"

namespace migsim {

class SanLazyPolicy : public SanRestorePolicy {
public:
  using SanRestorePolicy::SanRestorePolicy;

protected:
  RoundPlan first_round(const MigrationSnapshot& s) override
  {
    RoundPlan plan            = SanRestorePolicy::first_round(s);
    plan.switchover.resume_waits_for_san = false;
    return plan;
  }
  void stop_rule(const MigrationSnapshot& s, RoundPlan& plan) override
  {
    PrecopyPolicy::stop_rule(s, plan);
    plan.switchover.resume_waits_for_san = false;
  }
};

inline PolicyDeclaration san_lazy_declaration()
{
  return {"san-lazy", "san-restore that resumes before the restore ends; missing pages fetched on demand",
          with_qemu_option_specs({map_time_per_GiB_spec()}), [](const PolicyParams& p) {
            return with_qemu_options(std::make_unique<SanLazyPolicy>(p.at("map_time_per_GiB")), p);
          }};
}

}  // namespace migsim
