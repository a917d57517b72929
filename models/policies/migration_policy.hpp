// The contract between a migration policy and the simulator: decisions as data.
//
// Before every round the simulator shows the policy a read-only MigrationSnapshot and the policy
// returns a RoundPlan of decisions only, grouped by what they govern: the LAN transfer, the SAN
// restore, the pages dropped, the switch-over and the guest's CPU throttle. A plan may also ask to be
// consulted at checkpoints during its round (end_round_early), as QEMU's migration thread decides. What follows from them
// (the bytes an encoding puts on the wire, the CPU it costs, the run's status) the simulator works
// out; it checks the plan and carries it out on SimGrid. A policy never calls SimGrid and never
// changes memory itself. A policy declares itself (name, description, parameters, factory) in a
// PolicyDeclaration next to its code; policy_registry.cpp lists the declarations.
#pragma once

#include "models/guest_memory.hpp"
#include "models/page_bitmap.hpp"
#include "models/param_spec.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace migsim {

/// Limits that end a migration that does not converge (settable per scenario).
struct MigrationLimits {
  double downtime_limit_s   = 0.3;  ///< stop-and-copy once what remains fits this at the measured rate
  int max_rounds            = 30;   ///< live rounds before a forced stop-and-copy (Xen: 29 + final)
  double max_bytes_factor   = 3.0;  ///< forced stop-and-copy once this x memory has been sent (Xen)
  double bandwidth_cap_Bps  = 0;    ///< migration stream rate cap, 0 = none
  double max_time_s         = 3600; ///< forced stop-and-copy after this much migration time
  /// At max_time, cancel instead (status "cancelled", no stop-and-copy, the guest stays at the
  /// source): what a driver with a timeout, such as the testbed's, does to a QEMU migration.
  bool cancel_at_max_time   = false;
};

struct MigrationSnapshot {
  const GuestMemory& memory;        ///< page classes and the dirty log since the last sync
  const MigrationLimits& limits;
  int round;                        ///< live rounds completed so far (0 before the first)
  double elapsed_s;                 ///< time since migration start
  uint64_t lan_bytes;               ///< bytes sent over the LAN so far
  uint64_t san_bytes;               ///< bytes restored from the SAN so far
  uint64_t san_pending_bytes;       ///< bytes of SAN restore still to complete
  double lan_Bps;                   ///< LAN throughput of the last round (nominal path rate before any)
  double san_Bps;                   ///< SAN restore throughput so far (nominal path rate before any)
  double san_guest_Bps;             ///< storage throughput the guest's own IO used recently
  /// At a checkpoint during a live round (MigrationPolicy::end_round_early): bytes of the round's pages
  /// not sent yet (QEMU's pending estimate); 0 between rounds.
  uint64_t unsent_bytes = 0;
};

/// The pages sent over the LAN this round, and how.
struct LanTransfer {
  PageBitmap pages;
  double rate_cap_Bps = 0;  ///< LAN rate cap for this round (0: the scenario's bandwidth_cap)
  /// Xen's "peek" (live rounds): `pages` are sent in Xen's scan order, batch by batch, and a page
  /// written again since the round began is skipped when its turn comes; it stays dirty for a later round.
  bool skip_rewritten = false;
};

/// Clean-cache pages the destination reads from the SAN, in parallel with the LAN transfer.
struct SanRestore {
  PageBitmap pages;
  double setup_s = 0;  ///< preparation before this round's transfers (block mapping); the guest runs
  double delay_s = 0;  ///< the restore starts this long after the LAN transfers
};

enum class Switchover {
  None,         ///< keep iterating: send this round live, then plan again
  StopAndCopy,  ///< pause the guest, send this round, resume at the destination
  PostCopy      ///< send this round live, then resume at the destination and fetch the rest on demand
};

/// Why a migration switches over; the run's status (summary.csv) names it.
enum class StopReason {
  Converged,   ///< "ok": the policy's own rule (what remains fits the downtime limit, or its switch)
  RoundLimit,  ///< "round_limit"
  ByteLimit,   ///< "byte_limit"
  TimeLimit    ///< "time_limit"
};
inline const char* to_string(StopReason reason)
{
  switch (reason) {  // no default: a new reason must be named here (-Wswitch)
    case StopReason::Converged: return "ok";
    case StopReason::RoundLimit: return "round_limit";
    case StopReason::ByteLimit: return "byte_limit";
    case StopReason::TimeLimit: return "time_limit";
  }
  return "ok";
}

struct SwitchoverDecision {
  Switchover kind   = Switchover::None;
  StopReason reason = StopReason::Converged;
  bool resume_waits_for_san = true;  ///< at switch-over, resume only once the SAN restore is complete
  /// A live round ends only once every SAN restore started so far is complete (a policy that defers
  /// its stop until the restore is done); the guest keeps running and dirtying meanwhile.
  bool wait_for_san = false;
  /// A live round is sent in pieces of about this much sending time, and after each piece the
  /// policy is asked whether the round ends there (QEMU's migration thread; 0: the round is sent whole).
  double checkpoint_s = 0;
};

struct RoundPlan {
  LanTransfer lan;
  SanRestore san;
  PageBitmap drop;  ///< pages discarded at the source, never sent
  SwitchoverDecision switchover;
  double throttle = 0;  ///< guest CPU taken away from now until the next plan, 0..0.99 (auto-converge)

  /// A plan that sends `pages` over the LAN and nothing else.
  static RoundPlan over_lan(const PageBitmap& pages)
  {
    RoundPlan plan;
    plan.lan.pages = pages;
    plan.san.pages = PageBitmap(pages.size());
    plan.drop      = PageBitmap(pages.size());
    return plan;
  }
};

class MigrationPolicy {
public:
  virtual ~MigrationPolicy()                               = default;
  virtual RoundPlan plan_round(const MigrationSnapshot& s) = 0;
  /// Asked at each checkpoint of a live round whose plan set checkpoint_s, with s.unsent_bytes and
  /// s.lan_Bps the rate of the last measuring window: true ends the round there. Its unsent pages stay
  /// dirty (the dirty bitmap is synced) and plan_round is asked next, with them.
  virtual bool end_round_early(const MigrationSnapshot& /*s*/) { return false; }
};

/// What a policy says about itself: the registry lists these, the scenario loader checks parameters
/// against `params` (already validated and completed with defaults when `make` gets them).
struct PolicyDeclaration {
  std::string name;
  std::string description;  ///< one line, shown by `migsim policies`
  std::vector<ParamSpec> params;
  std::function<std::unique_ptr<MigrationPolicy>(const PolicyParams&)> make;
  /// Whether a run with these parameters reads from the SAN, so that the scenario loader can refuse a
  /// platform without a storage host before anything runs; empty: never.
  std::function<bool(const PolicyParams&)> reads_san = nullptr;
};

}  // namespace migsim
