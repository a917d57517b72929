// QEMU's pre-copy options as parameters of every policy that pre-copies (precopy, drop-cache, the SAN
// policies, hybrid), all off by default: a wrapper
// around the plain policy that observes each snapshot and adjusts each plan, so the options compose
// with whatever the inner policy decides (and leave it untouched when none is on). The page
// encodings are not decisions: the simulator applies them to every plan's LAN pages (page_encoding.hpp).
//
//  - auto_converge (+ cpu_throttle_initial, cpu_throttle_increment, max_cpu_throttle,
//    throttle_trigger_threshold): throttle the guest when dirtying outpaces sending; see
//    auto_converge.hpp. The plan carries the throttle; the simulator slows the guest by it.
//  - zero_page_detection (+ zero_page_bytes), free_page_hinting, xbzrle (+ xbzrle_hit_ratio,
//    xbzrle_compression_ratio, xbzrle_cpu_per_page): what pages cost on the wire and in source CPU;
//    declared here as precopy's parameters, modelled and applied apart (page_encoding.hpp).
//  - downtime_step, downtime_step_after: libvirt/Nova-style downtime stepping. Before round k (k live
//    rounds done) the stop rule uses  limit_k = downtime_limit + downtime_step x max(0, k - after).
//  - postcopy_on_stall: when what remains (dirty pages) did not shrink for 2 rounds in a row, switch
//    to post-copy now (nothing more is pre-copied; the rest follows after the switch), unless
//    pre-copy converged in the same round.
// Reference: QEMU qapi/migration.json (parameters and defaults) and migration/ram.c; OpenStack Nova
// live_migration_downtime{,_steps,_delay} for stepping. Limits: the stop rule stays QEMU's (raw
// bytes left versus measured wire rate x limit), so compression makes the predicted downtime
// pessimistic, as in QEMU.
#pragma once

#include "models/auto_converge.hpp"
#include "models/policies/migration_policy.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace migsim {

struct QemuOptions {
  bool auto_converge = false;
  AutoConvergeSettings throttle;
  double downtime_step_s  = 0;  ///< 0: no stepping
  int downtime_step_after = 0;  ///< live rounds before the first step
  bool postcopy_on_stall  = false;

  bool any() const { return auto_converge || downtime_step_s > 0 || postcopy_on_stall; }
  /// Reads the options from validated policy parameters; a missing one takes its default.
  static QemuOptions from(const PolicyParams& params);
};

/// The parameters above, page encodings included, with units, defaults and bounds (appended to
/// `precopy`'s own).
std::vector<ParamSpec> qemu_option_specs();

/// `own` followed by the QEMU options: the declaration of every policy that pre-copies (precopy,
/// drop-cache, the SAN policies, hybrid), so that a QEMU record replays under any of them.
std::vector<ParamSpec> with_qemu_option_specs(std::vector<ParamSpec> own);

/// The downtime limit before round `round` under stepping.
double stepped_downtime_limit(const QemuOptions& o, double base_s, int round);

class QemuOptionsPolicy : public MigrationPolicy {
public:
  QemuOptionsPolicy(std::unique_ptr<MigrationPolicy> inner, const QemuOptions& options);
  RoundPlan plan_round(const MigrationSnapshot& s) override;

private:
  std::unique_ptr<MigrationPolicy> inner_;
  QemuOptions options_;
  std::optional<AutoConverge> auto_converge_;
  uint64_t last_lan_bytes_ = 0;
  uint64_t last_dirty_     = 0;  // dirty pages at the previous plan
  int flat_rounds_         = 0;  // consecutive rounds in which what remains did not shrink
};

/// `inner` wrapped when any option in `params` is on, else `inner` itself (results unchanged).
std::unique_ptr<MigrationPolicy> with_qemu_options(std::unique_ptr<MigrationPolicy> inner, const PolicyParams& params);

}  // namespace migsim
