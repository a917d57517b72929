// The migration sender on the source: the round loop. Before each round it shows the policy a
// snapshot (memory, limits, bytes and time so far, measured LAN and SAN rates) and carries out the
// plan it returns: the policy's plan is checked, the limits are enforced (a policy that never stops
// is stopped), the page encoding prices the LAN pages, the guest is throttled, pages are dropped and
// the dirty bitmap synced, the SAN restore is started, the LAN pages are sent (capped, or batch by
// batch with Xen's peek, or piece by piece with a checkpoint after each), and the round lasts as long
// as the encoding's CPU time, or until the SAN restore is complete if the plan waits for it. Every
// round goes to rounds.csv. It returns at the switch-over.
#pragma once

#include "models/destination_memory.hpp"
#include "models/page_encoding.hpp"
#include "models/policies/migration_policy.hpp"
#include "models/running_guest.hpp"
#include "sim/engine/guest_io_driver.hpp"
#include "sim/engine/platform_builder.hpp"
#include "sim/engine/run_result.hpp"
#include "sim/engine/san_restorer.hpp"
#include "sim/engine/transfer_pipe.hpp"
#include "sim/scenario/scenario.hpp"

#include <memory>

namespace migsim {

class MigrationSender {
public:
  /// `io` may be null (no guest IO).
  MigrationSender(const Scenario& scenario, const MigrationHosts& hosts, RunningGuest& guest,
                  DestinationMemory& destination, TransferPipe& lan, SanRestorer& restorer, const GuestIoDriver* io,
                  RunResult& result);

  /// Runs rounds from the migration start `start_s` (now) until a plan switches over, and returns
  /// which switch-over. StopAndCopy: the last round has been sent with the guest paused, the restore
  /// awaited if the plan says so, and the downtime and total time recorded. PostCopy: the guest is
  /// paused, the rest follows by post-copy. None: cancelled at /migration/max_time
  /// (at_max_time "cancel"), the guest running at the source. Always rounds and status are recorded.
  Switchover run(double start_s);
  /// Sends the device state (/migration/switchover/device_state) with the guest paused, capped as
  /// the final copy is; returns its bytes. Also used by post-copy's switch-over.
  uint64_t send_device_state(double policy_cap_Bps);

private:
  double now() const;
  MigrationSnapshot snapshot(int round, double lan_Bps) const;
  void check(const RoundPlan& plan) const;
  /// Sends the plan's LAN pages, `wire_share` bytes on the wire per page byte; returns the bytes on
  /// the wire. With Xen's peek, leaves in plan.lan.pages only the pages sent.
  uint64_t send_lan(LanTransfer& lan, double wire_share, bool paused);
  /// Sends a live round's LAN pages in pieces of about checkpoint_s of sending and asks the policy
  /// after each whether the round ends there (QEMU's migration thread), in PassOrder.
  /// Returns the bytes on the wire; leaves in plan.lan.pages only the pages sent, the rest dirty again.
  uint64_t send_in_pieces(RoundPlan& plan, int round, double lan_Bps);
  /// Adds a piece to the measuring window; closes it once it spans checkpoint_s (QEMU's
  /// migration_update_counters over BUFFER_DELAY), which sets window_Bps_.
  void measure(uint64_t wire, double seconds, double checkpoint_s);

  const Scenario& scenario_;
  MigrationHosts hosts_;
  RunningGuest& guest_;
  DestinationMemory& destination_;
  TransferPipe& lan_;
  SanRestorer& restorer_;
  const GuestIoDriver* io_;
  RunResult& result_;
  std::unique_ptr<MigrationPolicy> policy_;
  PageEncoding encoding_;  // what the plans' LAN pages cost (zero pages, XBZRLE), as the parameters say
  double start_s_ = 0;
  double window_Bps_     = 0;  // LAN rate of the last closed measuring window (0: none yet)
  uint64_t window_bytes_ = 0;  // the window being measured
  double window_s_       = 0;
  uint64_t pass_position_ = 0;  // where the next round sent in pieces starts (PassOrder)
};

}  // namespace migsim
