// hybrid: QEMU's postcopy-after-precopy. Pre-copy rounds as `precopy` does, then a switch to
// post-copy after `precopy_rounds` live rounds, or earlier when pre-copy stalls (what remains did not
// shrink in the last round), or when pre-copy converges first (then it is plain stop-and-copy).
// Bounds the migration time of write-heavy guests that pre-copy alone cannot converge, with a
// downtime close to post-copy's.
#pragma once

#include "models/policies/precopy_policy.hpp"

namespace migsim {

class HybridPolicy : public PrecopyPolicy {
public:
  explicit HybridPolicy(int precopy_rounds) : precopy_rounds_(precopy_rounds) {}

protected:
  void stop_rule(const MigrationSnapshot& s, RoundPlan& plan) override
  {
    const uint64_t remaining = plan.lan.count();
    const bool stalled       = s.round >= 2 && remaining >= last_remaining_;
    last_remaining_          = remaining;
    PrecopyPolicy::stop_rule(s, plan);
    if (plan.switchover == Switchover::StopAndCopy && plan.status == "ok")
      return;  // converged: stop-and-copy is cheaper than post-copy
    if (s.round >= precopy_rounds_ || stalled || plan.switchover == Switchover::StopAndCopy) {
      plan.lan        = PageBitmap(s.memory.page_count());  // the rest follows after the switch
      plan.switchover = Switchover::PostCopy;
      plan.status     = "ok";
    }
  }

private:
  int precopy_rounds_;
  uint64_t last_remaining_ = UINT64_MAX;
};

}  // namespace migsim
