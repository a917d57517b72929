// The contract between a migration policy and the simulator: decisions as data.
//
// Before every round the simulator shows the policy a read-only MigrationSnapshot and the policy
// returns a RoundPlan: which pages go over the LAN, which the destination reads from the SAN, which
// are dropped, and whether to switch over after this round; optionally how much of the guest's CPU to
// throttle and what encoding makes the LAN bytes and source CPU cost. The simulator checks the plan
// and carries it out on SimGrid; a policy never calls SimGrid and never changes memory itself.
#pragma once

#include "models/guest_memory.hpp"
#include "models/page_bitmap.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace migsim {

/// Limits that end a migration that does not converge (settable per scenario).
struct MigrationLimits {
  double downtime_limit_s   = 0.3;  ///< stop-and-copy once what remains fits this at the measured rate
  int max_rounds            = 30;   ///< live rounds before a forced stop-and-copy (Xen: 29 + final)
  double max_bytes_factor   = 3.0;  ///< forced stop-and-copy once this x memory has been sent (Xen)
  double bandwidth_cap_Bps  = 0;    ///< migration stream rate cap, 0 = none
  double max_time_s         = 3600; ///< forced stop-and-copy after this much migration time
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
};

enum class Switchover {
  None,         ///< keep iterating: send this round live, then plan again
  StopAndCopy,  ///< pause the guest, send this round, resume at the destination
  PostCopy      ///< send this round live, then resume at the destination and fetch the rest on demand
};

struct RoundPlan {
  PageBitmap lan;                  ///< pages sent over the LAN this round
  PageBitmap san;                  ///< clean-cache pages the destination reads from the SAN, in parallel
  PageBitmap drop;                 ///< pages discarded at the source, never sent
  Switchover switchover = Switchover::None;
  bool resume_waits_for_san = true;///< at switch-over, resume only once the SAN restore is complete
  double setup_s        = 0;       ///< preparation before this round's transfers (e.g. block mapping)
  double san_delay_s    = 0;       ///< the SAN restore starts this long after the LAN transfers
  double min_duration_s = 0;       ///< the round lasts at least this long (e.g. to wait for the SAN)
  double rate_cap_Bps   = 0;       ///< LAN rate cap for this round (0: the scenario's bandwidth_cap)
  /// Xen's "peek" (live rounds): `lan` is sent in Xen's scan order, batch by batch, and a page written
  /// again since the round began is skipped when its turn comes; it stays dirty for a later round.
  bool skip_rewritten   = false;
  double throttle       = 0;       ///< guest CPU taken away from now until the next plan, 0..0.99 (auto-converge)
  /// Bytes put on the LAN for `lan` when encoding makes them differ from pages x page size (zero
  /// pages, delta compression); none: pages x page size.
  std::optional<uint64_t> lan_wire_bytes;
  /// Source CPU seconds to encode this round's pages. Encoding overlaps sending (one migration thread
  /// encodes page k + 1 while page k is on the wire), so the round lasts max(transfer, cpu_s).
  double cpu_s          = 0;
  std::string status    = "ok";    ///< why the migration stops, when it does: ok, round_limit, ...

  /// A plan that sends `pages` over the LAN and nothing else.
  static RoundPlan over_lan(const PageBitmap& pages)
  {
    RoundPlan plan;
    plan.lan  = pages;
    plan.san  = PageBitmap(pages.size());
    plan.drop = PageBitmap(pages.size());
    return plan;
  }
};

/// Policy parameters by name, already validated against the policy's ParamSpec list (SI units).
using PolicyParams = std::map<std::string, double>;

class MigrationPolicy {
public:
  virtual ~MigrationPolicy()                               = default;
  virtual RoundPlan plan_round(const MigrationSnapshot& s) = 0;
};

}  // namespace migsim
