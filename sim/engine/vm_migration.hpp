// One VM's live migration on SimGrid: the guest (memory, dirtying, its own storage IO) and the parts
// that migrate it, each in its own class: the MigrationSender's round loop on the source, the
// SanRestorer at the destination, the PostCopyPhase (push and fault service), the TimeseriesSampler
// and the EnergyMeter. VmMigration owns the shared state (guest, destination memory, the LAN pipe,
// the result) and wires the parts: it resumes the VM at the destination and ends the run. Several
// VmMigrations can share one engine and platform (host evacuation); they then share its links.
#pragma once

#include "models/destination_memory.hpp"
#include "models/running_guest.hpp"
#include "sim/engine/energy_meter.hpp"
#include "sim/engine/guest_io_driver.hpp"
#include "sim/engine/interval_union.hpp"
#include "sim/engine/migration_sender.hpp"
#include "sim/engine/platform_builder.hpp"
#include "sim/engine/post_copy_phase.hpp"
#include "sim/engine/run_result.hpp"
#include "sim/engine/san_restorer.hpp"
#include "sim/engine/timeseries_sampler.hpp"
#include "sim/engine/transfer_pipe.hpp"
#include "sim/scenario/scenario.hpp"

#include <simgrid/s4u/Semaphore.hpp>

#include <memory>
#include <string>

namespace migsim {

class VmMigration {
public:
  /// `name` keeps the mailboxes of several VMs apart; samples are timed from `timeline_origin`.
  VmMigration(const Scenario& scenario, const MigrationHosts& hosts, const std::string& name, double timeline_origin);

  /// The guest runs from now on: its writes before are not drawn (a data centre's late migrations).
  void start_guest_now();
  /// Migrates the VM, starting now; returns once it runs at the destination and the observation
  /// window after it has passed.
  void run_sender();
  void run_sampler() { sampler_.run(scenario_.sample_interval_s); }
  void run_guest_io() { io_->run(); }
  bool has_io() const { return io_ != nullptr; }
  /// Blocks the calling actor until the VM runs at the destination.
  void wait_until_resumed() { resumed_signal_->acquire(); }
  RunResult take_result();
  /// Ends the actors that would outlive the migration (its pipes' receivers), once it has ended and
  /// before it is destroyed mid-simulation; migrations kept to the simulation's end need not call it.
  /// Without guest IO only (its driver's actors run on).
  void close();

private:
  double now() const;
  void run_post_copy();
  void resume_at_destination();
  void mark_restored_pages();
  void finish();

  const Scenario& scenario_;
  MigrationHosts hosts_;
  RunResult result_;
  RunningGuest guest_;
  DestinationMemory destination_;
  TransferPipe lan_;
  // The pipes' receiver actors are created in this order, which SimGrid's scheduling follows: LAN,
  // post-copy faults, SAN, then the guest's IO.
  PostCopyPhase post_copy_;
  SanRestorer restorer_;
  std::unique_ptr<GuestIoDriver> io_;  // null without guest IO
  MigrationSender sender_;
  TimeseriesSampler sampler_;
  EnergyMeter energy_;
  bool resumed_ = false;
  simgrid::s4u::SemaphorePtr resumed_signal_ = simgrid::s4u::Semaphore::create(0);
  double origin_ = 0;
  double start_  = 0;
  IntervalUnion cpu_bound_;  // when the stream CPU rate held a LAN chunk back
};

}  // namespace migsim
