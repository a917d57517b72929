// postcopy: switch over at once, then move memory while the guest runs at the destination (Hines and
// Gopalan, VEE 2009; Hirofuchi's Yabusame for QEMU/KVM). Only CPU and device state are in the
// downtime. A page the guest touches before it arrived is fetched from the source on demand: the vCPU
// waits a round trip plus the page (reported as page_faults and fault_wait_s); a background push sends
// the rest in page order. With `san_cache` = 1 the destination also reads the clean page cache from
// the SAN, as san-restore does, and neither pushes nor pulls those pages.
// Limits: faults are detected on guest writes (the dirtying model), not on reads of anonymous memory,
// so the fault count is a lower bound for read-heavy guests; a fault's page shares the LAN with the push.
#pragma once

#include "models/policies/san_mapping.hpp"
#include "models/policies/san_restore_policy.hpp"

namespace migsim {

class PostcopyPolicy : public SanRestorePolicy {
public:
  PostcopyPolicy(double map_s_per_GiB, bool san_cache) : SanRestorePolicy(map_s_per_GiB), san_cache_(san_cache) {}

  RoundPlan plan_round(const MigrationSnapshot& s) override
  {
    RoundPlan plan = san_cache_ ? SanRestorePolicy::first_round(s) : RoundPlan::over_lan(s.memory.dirty());
    plan.lan.pages = PageBitmap(s.memory.page_count());  // nothing before the switch: it all follows
    plan.switchover.kind                 = Switchover::PostCopy;
    plan.switchover.resume_waits_for_san = false;
    return plan;
  }

private:
  bool san_cache_;
};

inline PolicyDeclaration postcopy_declaration()
{
  return {"postcopy", "switch over at once; pages fetched on demand over the LAN while a push sends the rest",
          {map_time_per_GiB_spec(), {"san_cache", std::nullopt, 0, 0, 1, "1: also restore the clean page cache from the SAN"}},
          [](const PolicyParams& p) {
            return std::make_unique<PostcopyPolicy>(p.at("map_time_per_GiB"), p.at("san_cache") >= 0.5);
          },
          [](const PolicyParams& p) { return p.at("san_cache") >= 0.5; }};
}

}  // namespace migsim
