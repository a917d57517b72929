// precopy: QEMU/Xen-style iterative pre-copy (Clark et al., NSDI 2005).
//
// Round 0 sends every page; each later round sends the pages written during the previous one. It
// stops and copies when the dirty pages fit the downtime limit at the last round's measured LAN rate
// (QEMU's rule), and is forced to by the round limit, the byte limit (Xen's 3 x memory) or the time
// limit, which then name the status. Page cache is sent like any memory. Other policies derive from it
// and change only what they send (first_round) or when they stop (stop_rule).
#pragma once

#include "migration_policy.hpp"

namespace migsim {

class PrecopyPolicy : public MigrationPolicy {
public:
  RoundPlan plan_round(const MigrationSnapshot& s) override;

protected:
  /// The plan of round 0; the default sends all memory.
  virtual RoundPlan first_round(const MigrationSnapshot& s);
  /// Sets plan.switchover and plan.status if this round should be the last.
  virtual void stop_rule(const MigrationSnapshot& s, RoundPlan& plan);
};

}  // namespace migsim
