// One VM's live migration on SimGrid: the guest (memory, dirtying, its own storage IO), the policy,
// and the actors that carry out the policy's plans: the sender on the source (LAN streams), the SAN
// restorer at the destination, the post-copy pusher and fault handler, and the sampler. Several
// VmMigrations can share one engine and platform (host evacuation); they then share its links.
#pragma once

#include "sim/engine/guest_io_driver.hpp"
#include "models/destination_memory.hpp"
#include "models/page_encoding.hpp"
#include "models/policies/migration_policy.hpp"
#include "models/running_guest.hpp"
#include "sim/engine/platform_builder.hpp"
#include "sim/engine/run_result.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/engine/transfer_pipe.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Semaphore.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace migsim {

class VmMigration {
public:
  /// `name` keeps the mailboxes of several VMs apart; samples are timed from `timeline_origin`.
  VmMigration(const Scenario& scenario, const MigrationHosts& hosts, const std::string& name, double timeline_origin);

  /// Migrates the VM, starting now; returns once it runs at the destination and the observation
  /// window after it has passed.
  void run_sender();
  void run_sampler();
  void run_guest_io() { io_->run(); }
  bool has_io() const { return io_.has_value(); }
  /// Blocks the calling actor until the VM runs at the destination.
  void wait_until_resumed() { resumed_signal_->acquire(); }
  RunResult take_result();

private:
  double now() const;
  double since_start() const { return now() - start_; }
  void check(const RoundPlan& plan) const;
  void start_restore(const PageBitmap& pages, double delay_s);
  void wait_for_restore();
  void mark_restored_pages();
  void resume_at_destination();
  void run_post_copy();
  void serve_faults();
  void finish();
  void measure_energy(bool at_end);
  void sample();
  static void on_guest_write(void* self, uint64_t page);

  const Scenario& scenario_;
  MigrationHosts hosts_;
  RunningGuest guest_;
  std::unique_ptr<MigrationPolicy> policy_;
  PageEncoding encoding_;  // what the plans' LAN pages cost (zero pages, XBZRLE), when the parameters say
  DestinationMemory destination_;
  TransferPipe lan_;
  TransferPipe faults_;  // post-copy demand fetches, apart from the background push
  std::optional<TransferPipe> san_;
  std::optional<GuestIoDriver> io_;
  std::vector<simgrid::s4u::ActorPtr> restorers_;
  std::vector<std::shared_ptr<const PageBitmap>> restore_batches_;  // read in this order, each in page order
  uint64_t restored_    = 0;  // restored pages already marked present at the destination
  size_t cursor_batch_  = 0;  // where the next restored page is looked for
  uint64_t cursor_page_ = 0;
  PageBitmap missing_;        // post-copy: pages still only at the source
  std::vector<uint64_t> faulted_;  // post-copy: pages the guest touched before they arrived
  bool resumed_            = false;
  simgrid::s4u::SemaphorePtr resumed_signal_ = simgrid::s4u::Semaphore::create(0);
  double origin_           = 0;
  double start_            = 0;
  double restore_start_    = -1;
  uint64_t san_requested_  = 0;
  bool finished_           = false;
  // sampler state: the cumulative counters at the previous sample
  double last_t_ = 0, last_lan_ = 0, last_san_ = 0, last_guest_san_ = 0, last_served_ = 0;
  uint64_t last_hits_ = 0, last_misses_ = 0;
  std::pair<double, double> energy_at_start_{0, 0};  // source, destination
  RunResult result_;
};

}  // namespace migsim
