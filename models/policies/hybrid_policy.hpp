// hybrid: QEMU's postcopy-after-precopy. Pre-copy rounds as `precopy` does, then a switch to
// post-copy after `precopy_rounds` live rounds, or earlier when pre-copy stalls (what remains did not
// shrink in the last round), or when pre-copy converges first (then it is plain stop-and-copy).
// Bounds the migration time of write-heavy guests that pre-copy alone cannot converge, with a
// downtime close to post-copy's.
#pragma once

#include "models/policies/precopy_policy.hpp"
#include "models/policies/qemu_options_policy.hpp"

namespace migsim {

class HybridPolicy : public PrecopyPolicy {
public:
  explicit HybridPolicy(int precopy_rounds) : precopy_rounds_(precopy_rounds) {}

protected:
  void stop_rule(const MigrationSnapshot& s, RoundPlan& plan) override
  {
    const uint64_t remaining = plan.lan.pages.count();
    const bool stalled       = s.round >= 2 && remaining >= last_remaining_;
    last_remaining_          = remaining;
    PrecopyPolicy::stop_rule(s, plan);
    SwitchoverDecision& switchover = plan.switchover;
    if (switchover.kind == Switchover::StopAndCopy && switchover.reason == StopReason::Converged)
      return;  // converged: stop-and-copy is cheaper than post-copy
    if (s.round >= precopy_rounds_ || stalled || switchover.kind == Switchover::StopAndCopy) {
      plan.lan.pages    = PageBitmap(s.memory.page_count());  // the rest follows after the switch
      switchover.kind   = Switchover::PostCopy;
      switchover.reason = StopReason::Converged;
    }
  }

private:
  int precopy_rounds_;
  uint64_t last_remaining_ = UINT64_MAX;
};

inline PolicyDeclaration hybrid_declaration()
{
  return {"hybrid", "pre-copy rounds, then post-copy (QEMU postcopy-after-precopy)",
          with_qemu_option_specs(
              {{"precopy_rounds", std::nullopt, 3, 1, 1000, "live pre-copy rounds before switching to post-copy"}}),
          [](const PolicyParams& p) {
            return with_qemu_options(std::make_unique<HybridPolicy>(static_cast<int>(p.at("precopy_rounds"))), p);
          }};
}

}  // namespace migsim
