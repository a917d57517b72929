// Post-copy (Hines and Gopalan, VEE 2009): after the switch-over the guest runs at the destination
// while the pages still only at the source follow. A background push sends them in page order, in
// chunks, over the migration LAN pipe; a page the guest touches before it arrived is a fault: the
// vCPU waits a round trip per fault plus the pages, fetched over a pipe of their own that shares the
// LAN with the push. Faults are served once per IO step. Pages the SAN restores are neither pushed
// nor pulled. Limits: faults are detected on guest writes (the dirtying model), not on reads of
// anonymous memory, so the fault count is a lower bound for read-heavy guests.
#pragma once

#include "models/destination_memory.hpp"
#include "models/page_bitmap.hpp"
#include "models/running_guest.hpp"
#include "sim/engine/platform_builder.hpp"
#include "sim/engine/run_result.hpp"
#include "sim/engine/transfer_pipe.hpp"
#include "sim/scenario/scenario.hpp"

#include <string>
#include <vector>

namespace migsim {

class PostCopyPhase {
public:
  /// `name` keeps the mailboxes of several VMs apart; pushed pages go through `lan`.
  PostCopyPhase(const std::string& name, const Scenario& scenario, const MigrationHosts& hosts, RunningGuest& guest,
                DestinationMemory& destination, TransferPipe& lan, RunResult& result);

  /// At the switch-over, guest paused: every page still dirty, except those in `restored` (the SAN's),
  /// is missing at the destination; from now on a guest write to one of them is a fault.
  void begin(const PageBitmap& restored);
  /// The fault pipe's stream is held to `Bps` too (TransferPipe::set_stream_cpu_rate).
  void set_stream_cpu_rate(double Bps, IntervalUnion* bound) { faults_.set_stream_cpu_rate(Bps, bound); }
  void close() { faults_.close(); }
  /// With the guest resumed at the destination: pushes the missing pages and serves faults until every
  /// page has arrived. Counts the LAN bytes, faults and fault wait in the result.
  void run();

private:
  void serve_faults();
  static void on_guest_write(void* self, uint64_t page);

  const Scenario& scenario_;
  MigrationHosts hosts_;
  RunningGuest& guest_;
  DestinationMemory& destination_;
  TransferPipe& lan_;
  TransferPipe faults_;  // demand fetches, apart from the background push
  RunResult& result_;
  PageBitmap missing_;             // pages still only at the source
  std::vector<uint64_t> faulted_;  // pages the guest touched before they arrived
};

}  // namespace migsim
