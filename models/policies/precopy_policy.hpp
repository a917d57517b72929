// precopy: QEMU/Xen-style iterative pre-copy (Clark et al., NSDI 2005).
//
// Round 0 sends every page; each later round sends the pages written during the previous one. It
// stops and copies when the dirty pages fit the downtime limit at the last measured LAN rate
// (QEMU's rule), and is forced to by the round limit, the byte limit (Xen's 3 x memory) or the time
// limit, which then name the stop reason.
//
// QEMU takes that decision during a round, not only at its end (migration/migration.c,
// migration_iteration_run): every iteration of its migration thread (one 100 ms rate-limit window,
// BUFFER_DELAY) compares what is left of the pass (ram_state_pending_estimate: the pages still marked
// in the migration bitmap) with threshold_size = the last window's rate x downtime limit; once it fits,
// it syncs the dirty bitmap (ram_state_pending_exact) and stops the guest if the rest plus what was
// dirtied still fits, else goes on with both. Here: a live round is sent in pieces of
// `switchover_check` seconds (QEMU's window is 0.1; the default, 0, sends rounds whole); after each
// piece, once the unsent bytes fit the last window's rate x limit, the round ends (the sync) and the
// next plan applies the stop rule to the unsent pages plus those dirtied. So an idle guest stops with
// about rate x limit bytes left, sent with the guest paused. Xen's sender decides at the end of each
// iteration only: with its options below (rate_first or skip_rewritten) a round is always sent whole.
// Page cache is sent like any memory. Other policies derive from it and change only what they send
// (first_round) or when they stop (stop_rule); they keep deciding at round ends.
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
  double switchover_check_s = 0;  ///< checkpoint interval during a round (QEMU: 0.1 s); 0: rounds sent whole

  /// Whether Xen's sender is being reproduced (dynamic rate limit or peek): decisions at round ends.
  bool xen() const { return rate_first_Bps > 0 || skip_rewritten; }
  /// From the policy parameters rate_first, rate_increment, rate_max, skip_rewritten (absent: off) and
  /// switchover_check (absent: 0).
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
  /// QEMU's check during a round: the unsent bytes fit the last window's rate x downtime limit.
  bool end_round_early(const MigrationSnapshot& s) override;

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
