// Drives the guest's own storage IO through time, before, during and after migration. Every step
// (10 ms by default) turns that step's requests into page-cache hits and misses; the misses (and
// write-backs) of the step become one storage transfer to wherever the VM runs, sharing the SAN and
// the array with the restore traffic as SimGrid decides, plus the per-request access time of the
// misses, served `depth` at a time. The step lasts at least its length, longer when storage is slow:
// throughput falls out of that. A paused guest issues nothing.
#pragma once

#include "models/io_workload.hpp"
#include "models/page_cache.hpp"
#include "models/running_guest.hpp"
#include "sim/engine/platform_builder.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/engine/transfer_pipe.hpp"

#include <functional>
#include <optional>

namespace migsim {

struct IoCounters {
  double served_bytes  = 0;  ///< request bytes completed
  uint64_t hits        = 0;
  uint64_t misses      = 0;
};

class GuestIoDriver {
public:
  /// `name` keeps the mailboxes of several VMs apart.
  GuestIoDriver(const Scenario& scenario, RunningGuest& guest, const MigrationHosts& hosts, const std::string& name);

  /// The actor body (on the storage host); returns at stop time.
  void run();
  void move_to_destination() { at_destination_ = true; }
  /// Stop after the step that ends at or after `t`.
  void stop_at(double t) { stop_at_ = t; }
  /// Called at the start of every step (e.g. to mark restored pages present).
  void on_step(std::function<void()> hook) { on_step_ = std::move(hook); }

  PageCache& cache() { return cache_; }
  const IoCounters& counters() const { return counters_; }
  /// Storage bytes the guest moved so far, including transfers in flight.
  double storage_bytes() const { return to_source_.bytes_moved() + to_destination_.bytes_moved(); }

private:
  const Scenario& scenario_;
  RunningGuest& guest_;
  IoWorkload workload_;
  PageCache cache_;
  TransferPipe to_source_, to_destination_;
  bool at_destination_ = false;
  double stop_at_      = -1;
  double writeback_carry_ = 0;
  std::function<void()> on_step_;
  IoCounters counters_;
};

}  // namespace migsim
