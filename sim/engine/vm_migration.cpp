#include "sim/engine/vm_migration.hpp"

#include "models/io_penalty.hpp"
#include "sim/scenario/scenario_error.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace sg4 = simgrid::s4u;

namespace migsim {
namespace {

std::unique_ptr<GuestIoDriver> make_guest_io(const Scenario& s, RunningGuest& guest, const MigrationHosts& hosts,
                                             const std::string& name)
{
  if (!s.io.enabled)
    return nullptr;
  if (!hosts.storage)
    throw ScenarioError(s.origin, "/platform/storage_host", "the guest's IO workload needs a storage host");
  return std::make_unique<GuestIoDriver>(s, guest, hosts, name);
}

}  // namespace

VmMigration::VmMigration(const Scenario& s, const MigrationHosts& hosts, const std::string& name, double timeline_origin)
    : scenario_(s)
    , hosts_(hosts)
    , guest_(s.memory, s.dirtying, s.seed)
    , destination_(s.memory.page_count)
    , lan_(name + "-lan", hosts.destination, s.migration.streams, static_cast<uint64_t>(s.migration.chunk_bytes),
           s.migration.limits.bandwidth_cap_Bps)
    , post_copy_(name, s, hosts, guest_, destination_, lan_, result_)
    , restorer_(name, s, hosts, destination_)
    , io_(make_guest_io(s, guest_, hosts, name))
    , sender_(s, hosts, guest_, destination_, lan_, restorer_, io_.get(), result_)
    , sampler_(guest_, lan_, restorer_, io_.get(), timeline_origin, result_.samples)
    , energy_(s.platform.energy, hosts)
    , origin_(timeline_origin)
{
  if (io_)
    io_->on_step([this] { mark_restored_pages(); });
  result_.scenario     = s.name;
  result_.policy       = s.migration.display_name();
  result_.seed         = s.seed;
  result_.memory_bytes = guest_.memory().bytes();
  result_.page_size    = guest_.memory().page_size();
  result_.lan_path_Bps = hosts.lan_Bps;
  result_.san_path_Bps = hosts.san_Bps;
  result_.has_io       = s.io.enabled;
  result_.vm           = s.vm_name;
  result_.has_energy   = s.platform.energy.enabled;
  result_.has_stream_cpu_rate = s.migration.stream_cpu_Bps > 0;
  lan_.set_stream_cpu_rate(s.migration.stream_cpu_Bps, &cpu_bound_);
  post_copy_.set_stream_cpu_rate(s.migration.stream_cpu_Bps, &cpu_bound_);
}

double VmMigration::now() const
{
  return sg4::Engine::get_clock();
}

void VmMigration::run_sender()
{
  start_                    = now();
  result_.migration_start_s = start_;
  energy_.start();
  const Switchover end = sender_.run(start_);
  if (end == Switchover::PostCopy)
    run_post_copy();
  else if (end == Switchover::StopAndCopy)
    resume_at_destination();
  else
    resumed_signal_->release();  // cancelled: the guest stays at the source, and the next VM may start
  result_.cpu_bound_s = cpu_bound_.length();
  energy_.finish(result_);
  finish();
}

// The guest resumes at the destination at once; the pages still at the source follow.
void VmMigration::run_post_copy()
{
  post_copy_.begin(restorer_.requested_pages());
  const double pause_t = now();
  // QEMU's postcopy_start(): the device state goes with the guest paused, then the destination resumes.
  result_.lan_bytes += sender_.send_device_state(0);
  sg4::this_actor::sleep_for(scenario_.migration.switchover.resume_s);
  resume_at_destination();
  result_.downtime_s = now() - pause_t;
  post_copy_.run();
  restorer_.wait();
  result_.total_time_s = now() - start_;
}

void VmMigration::resume_at_destination()
{
  resumed_ = true;
  resumed_signal_->release();
  if (io_) {
    // Cache pages whose content is not at the destination yet (san-lazy) cost a storage read when touched.
    PageBitmap absent = restorer_.requested_pages();
    absent.subtract(destination_.present());
    io_->cache().mark_absent(absent);
    mark_restored_pages();
    io_->move_to_destination();
  }
  guest_.resume(now());
}

// Restored pages become usable in the guest's cache once it runs at the destination.
void VmMigration::mark_restored_pages()
{
  if (resumed_ && io_)
    restorer_.mark_restored(io_->cache());
}

void VmMigration::finish()
{
  guest_.stop_dirtying(now());
  if (io_) {
    io_->stop_at(start_ + result_.total_time_s + scenario_.observe_after_s);
    restorer_.wait();  // restores not awaited before resuming still finish in the background
    sg4::this_actor::sleep_until(start_ + result_.total_time_s + scenario_.observe_after_s);
  } else {
    restorer_.wait();
  }
  sampler_.finish();
}

void VmMigration::start_guest_now()
{
  guest_.start_at(now());
}

void VmMigration::close()
{
  lan_.close();
  post_copy_.close();
  restorer_.close();
}

RunResult VmMigration::take_result()
{
  if (io_) {
    std::vector<ThroughputSample> series;  // timed from this VM's own migration start
    double previous = -start_;
    const double window_end = result_.total_time_s + scenario_.observe_after_s;
    for (const Sample& s : result_.samples) {
      const double end = s.time_s + origin_ - start_;
      if (end > window_end + 1e-9)
        break;  // a restore that outlasts the observation window keeps sampling: not guest IO lost
      series.push_back({end, end - previous, s.io_Bps});
      previous = end;
    }
    const IoPenalty p       = io_penalty(series, result_.total_time_s, scenario_.baseline_window_s);
    result_.io_baseline_Bps = p.baseline_Bps;
    result_.io_penalty_s    = p.penalty_s;
    result_.io_recovery_s   = p.recovery_s;
  }
  return std::move(result_);
}

}  // namespace migsim
