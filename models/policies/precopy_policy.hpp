// precopy: QEMU/Xen-style iterative pre-copy (Clark et al., NSDI 2005).
//
// Round 0 sends every page; each later round sends the pages written during the previous one. It
// stops and copies when the dirty pages fit the downtime limit at the last round's measured LAN rate
// (QEMU's rule), and is forced to by the round limit, the byte limit (Xen's 3 x memory) or the time
// limit, which then name the stop reason. Page cache is sent like any memory. Other policies derive from it
// and change only what they send (first_round) or when they stop (stop_rule).
//
// Two options reproduce Xen 2.0's sender, the one Clark et al. measured (tools/libxc/xc_linux_save.c):
//  - dynamic rate limiting (rate_first > 0): round 0 is capped at rate_first; after each round whose
//    dirtying rate (pages dirtied in it / its duration) exceeds the current cap, the cap becomes that
//    rate + rate_increment, at most rate_max, and is never lowered. The stop-and-copy round keeps the
//    cap when /migration/cap_final_copy is true (Xen; the Clark cases set it), else it is uncapped (QEMU). Once the cap is rate_max and a round sent more than the one before, pre-copy gives up and
//    stops (reason Converged, status "ok", as Xen's normal last iteration). The paper's text words the rule as
//    "previous dirtying rate + increment between a minimum and a maximum"; the code also never lowers
//    the rate, and that is what is implemented. Clark's values: 100, +50, 500 Mbit/s.
//  - skip_rewritten: Xen's "peek": a page written again since the round began is skipped when its
//    turn comes (it is dirty anyway and goes in a later round). The simulator carries it out
//    (LanTransfer::skip_rewritten); it is why Xen's first round sends less than all memory.
#pragma once

#include "models/policies/migration_policy.hpp"

namespace migsim {

struct PrecopyOptions {
  double rate_first_Bps     = 0;  ///< cap of round 0; 0: no dynamic rate limiting
  double rate_increment_Bps = 0;  ///< added to the measured dirtying rate
  double rate_max_Bps       = 0;  ///< highest cap; 0: none
  bool skip_rewritten       = false;

  /// From the policy parameters rate_first, rate_increment, rate_max, skip_rewritten (absent: off).
  static PrecopyOptions from(const PolicyParams& params);
};

/// precopy's name, description, parameters (Xen's options above, then QEMU's: qemu_options_policy.hpp)
/// and factory.
PolicyDeclaration precopy_declaration();

class PrecopyPolicy : public MigrationPolicy {
public:
  PrecopyPolicy() = default;
  explicit PrecopyPolicy(const PrecopyOptions& options) : options_(options) {}
  RoundPlan plan_round(const MigrationSnapshot& s) override;

protected:
  /// The plan of round 0; the default sends all memory.
  virtual RoundPlan first_round(const MigrationSnapshot& s);
  /// Sets plan.switchover (kind and reason) if this round should be the last.
  virtual void stop_rule(const MigrationSnapshot& s, RoundPlan& plan);

private:
  /// Xen's dynamic rate limit: sets plan.lan.rate_cap_Bps, and stops when even rate_max does not converge.
  void limit_rate(const MigrationSnapshot& s, RoundPlan& plan);

  PrecopyOptions options_;
  double rate_Bps_         = 0;  // the current cap
  double last_plan_s_      = 0;  // elapsed time when the previous round was planned
  uint64_t last_lan_bytes_ = 0;  // LAN bytes sent when the previous round was planned
  uint64_t last_sent_      = UINT64_MAX;  // bytes the round before the previous one sent
};

}  // namespace migsim
