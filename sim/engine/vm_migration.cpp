#include "sim/engine/vm_migration.hpp"

#include "models/io_penalty.hpp"
#include "models/policies/policy_registry.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "models/xen_scan.hpp"

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sg4 = simgrid::s4u;

namespace migsim {

VmMigration::VmMigration(const Scenario& s, const MigrationHosts& hosts, const std::string& name, double timeline_origin)
    : scenario_(s)
    , hosts_(hosts)
    , guest_(s.memory, s.dirtying, s.seed)
    , policy_(PolicyRegistry::instance().find(s.migration.policy).make(s.migration.params))
    , encoding_(PageEncodingSettings::from(s.migration.params))
    , destination_(s.memory.page_count)
    , lan_(name + "-lan", hosts.destination, s.migration.streams, static_cast<uint64_t>(s.migration.chunk_bytes),
           s.migration.limits.bandwidth_cap_Bps)
    , faults_(name + "-faults", hosts.destination, 1, UINT64_MAX, 0)
    , missing_(s.memory.page_count)
    , origin_(timeline_origin)
{
  if (hosts.storage)
    san_.emplace(name + "-san", hosts.destination, s.migration.streams,
                 static_cast<uint64_t>(s.migration.chunk_bytes), 0);
  if (s.io.enabled) {
    if (!hosts.storage)
      throw ScenarioError(s.origin, "/platform/storage_host", "the guest's IO workload needs a storage host");
    io_.emplace(s, guest_, hosts, name);
    io_->on_step([this] { mark_restored_pages(); });
  }
  result_.scenario     = s.name;
  result_.policy       = s.migration.policy;
  result_.seed         = s.seed;
  result_.memory_bytes = guest_.memory().bytes();
  result_.page_size    = guest_.memory().page_size();
  result_.lan_path_Bps = hosts.lan_Bps;
  result_.san_path_Bps = hosts.san_Bps;
  result_.has_io       = s.io.enabled;
  result_.vm           = s.vm_name;
  result_.has_energy   = s.platform.energy.enabled;
  const EnergySpec& e  = s.platform.energy;
  lan_.set_cpu_cost(e.send_cpu_per_byte, e.recv_cpu_per_byte);
  faults_.set_cpu_cost(e.send_cpu_per_byte, e.recv_cpu_per_byte);
  if (san_)
    san_->set_cpu_cost(0, e.recv_cpu_per_byte);  // the storage array's own power is per byte, below
}

// Host energy over the migration: from its start to the resume (post-copy: to the last page).
void VmMigration::measure_energy(bool at_end)
{
  if (!result_.has_energy)
    return;
  const double source = sg_host_get_consumed_energy(hosts_.source);
  const double dest   = sg_host_get_consumed_energy(hosts_.destination);
  if (!at_end) {
    energy_at_start_ = {source, dest};
    return;
  }
  const EnergySpec& e           = scenario_.platform.energy;
  result_.source_energy_j      = source - energy_at_start_.first;
  result_.destination_energy_j = dest - energy_at_start_.second;
  result_.energy_j = result_.source_energy_j + result_.destination_energy_j +
                     e.network_J_per_byte * static_cast<double>(result_.lan_bytes) +
                     e.storage_J_per_byte * static_cast<double>(result_.san_bytes);
}

double VmMigration::now() const
{
  return simgrid::s4u::Engine::get_clock();
}

void VmMigration::check(const RoundPlan& plan) const
{
  const std::string who = "policy " + scenario_.migration.policy;
  const uint64_t n      = guest_.memory().page_count();
  if (plan.lan.pages.size() != n || plan.san.pages.size() != n || plan.drop.size() != n)
    throw std::logic_error(who + " returned page sets of the wrong size");
  if (!plan.san.pages.none() && !san_)
    throw ScenarioError(scenario_.origin, "/platform/storage_host",
                        who + " reads from the SAN but the platform has no storage host");
  bool only_clean = true;
  plan.san.pages.for_each([&](uint64_t p) { only_clean &= guest_.memory().page_class(p) == PageClass::CleanCache; });
  if (!only_clean)
    throw std::logic_error(who + " restores a page that is not clean cache");
  if (!(plan.throttle >= 0 && plan.throttle <= 0.99))
    throw std::logic_error(who + " asked for a throttle outside [0, 0.99]");
}

void VmMigration::start_restore(const PageBitmap& pages, double delay_s)
{
  const uint64_t bytes = pages.count() * guest_.memory().page_size();
  san_requested_ += bytes;
  auto batch = std::make_shared<const PageBitmap>(pages);
  restore_batches_.push_back(batch);
  restorers_.push_back(sg4::Actor::create("san-restorer", hosts_.storage, [this, bytes, delay_s, batch] {
    sg4::this_actor::sleep_for(delay_s);
    if (restore_start_ < 0)
      restore_start_ = now();
    san_->send(bytes);
    destination_.receive_san(*batch);  // where a LAN copy already arrived, it wins
  }));
}

void VmMigration::wait_for_restore()
{
  for (auto& actor : restorers_)
    actor->join();
  restorers_.clear();
}

// Restored pages become usable at the destination in restore order, as their bytes arrive.
void VmMigration::mark_restored_pages()
{
  if (!resumed_ || !io_ || !san_)
    return;
  const auto arrived = static_cast<uint64_t>(san_->bytes_moved() / static_cast<double>(guest_.memory().page_size()));
  while (restored_ < arrived && cursor_batch_ < restore_batches_.size()) {
    const PageBitmap& batch = *restore_batches_[cursor_batch_];
    for (; cursor_page_ < batch.size() && restored_ < arrived; ++cursor_page_)
      if (batch.test(cursor_page_)) {
        io_->cache().mark_present(cursor_page_);
        ++restored_;
      }
    if (cursor_page_ == batch.size()) {
      ++cursor_batch_;
      cursor_page_ = 0;
    }
  }
}

void VmMigration::resume_at_destination()
{
  resumed_ = true;
  resumed_signal_->release();
  if (io_) {
    // Cache pages whose content is not at the destination yet (san-lazy) cost a storage read when touched.
    PageBitmap absent(guest_.memory().page_count());
    for (const auto& batch : restore_batches_)
      absent |= *batch;
    absent.subtract(destination_.present());
    io_->cache().mark_absent(absent);
    mark_restored_pages();
    io_->move_to_destination();
  }
  guest_.resume(now());
}

void VmMigration::sample()
{
  const double t  = now();
  const double dt = t - last_t_;
  if (dt <= 0)
    return;
  guest_.run_until(t);
  Sample s{};
  s.time_s          = t - origin_;
  const double lan  = lan_.bytes_moved();
  const double san  = san_ ? san_->bytes_moved() : 0;
  s.lan_Bps         = (lan - last_lan_) / dt;
  s.san_restore_Bps = (san - last_san_) / dt;
  s.dirty_pages     = guest_.memory().dirty_count();
  s.cache_hit_ratio = -1;
  last_lan_ = lan;
  last_san_ = san;
  if (io_) {
    const IoCounters& c   = io_->counters();
    const double guest    = io_->storage_bytes();
    s.san_guest_Bps       = (guest - last_guest_san_) / dt;
    s.io_Bps              = (c.served_bytes - last_served_) / dt;
    const uint64_t reads  = (c.hits - last_hits_) + (c.misses - last_misses_);
    s.cache_hit_ratio     = reads ? static_cast<double>(c.hits - last_hits_) / static_cast<double>(reads) : -1;
    last_guest_san_       = guest;
    last_served_          = c.served_bytes;
    last_hits_            = c.hits;
    last_misses_          = c.misses;
  }
  result_.samples.push_back(s);
  last_t_ = t;
}

void VmMigration::run_sampler()
{
  while (!finished_) {
    sg4::this_actor::sleep_for(scenario_.sample_interval_s);
    if (!finished_)
      sample();
  }
}

void VmMigration::run_sender()
{
  start_                        = now();
  result_.migration_start_s     = start_;
  measure_energy(false);
  const MigrationLimits& limits = scenario_.migration.limits;
  GuestMemory& memory           = guest_.memory();
  const uint64_t page           = memory.page_size();
  double lan_Bps                = hosts_.lan_Bps;
  for (int round = 0;; ++round) {
    guest_.run_until(now());
    const double san_done      = san_ ? san_->bytes_moved() : 0;
    const double san_Bps       = san_done > 0 ? san_done / (now() - restore_start_) : hosts_.san_Bps;
    const double guest_san_Bps = io_ && now() > 0 ? io_->storage_bytes() / now() : 0;
    MigrationSnapshot snapshot{memory,
                               limits,
                               round,
                               since_start(),
                               result_.lan_bytes,
                               static_cast<uint64_t>(san_done),
                               san_requested_ - static_cast<uint64_t>(san_done),
                               lan_Bps,
                               san_Bps,
                               guest_san_Bps};
    RoundPlan plan = policy_->plan_round(snapshot);
    check(plan);
    // The simulator, not the policy, has the last word on limits: a policy that never stops is stopped.
    SwitchoverDecision& switchover = plan.switchover;
    if (switchover.kind == Switchover::None && (round >= limits.max_rounds || since_start() >= limits.max_time_s)) {
      switchover.kind   = Switchover::StopAndCopy;
      switchover.reason = round >= limits.max_rounds ? StopReason::RoundLimit : StopReason::TimeLimit;
    }
    const LanEncoding encoded = encoding_.apply(memory, plan);
    // Auto-converge: the guest runs throttled from here until the next plan.
    const double throttle_from = now();
    guest_.set_throttle(plan.throttle, throttle_from);
    plan.drop.for_each([&](uint64_t p) { memory.drop(p); });
    memory.take_dirty(plan.drop | plan.lan.pages | plan.san.pages);
    if (plan.san.setup_s > 0)
      sg4::this_actor::sleep_for(plan.san.setup_s);
    const uint64_t san_bytes = plan.san.pages.count() * page;
    if (san_bytes > 0)
      start_restore(plan.san.pages, plan.san.delay_s);
    const bool last = switchover.kind == Switchover::StopAndCopy;
    const double round_start = now();
    if (last)
      guest_.pause(round_start);
    // Encodings (zero pages, XBZRLE) put their wire bytes on the wire instead of pages x page size;
    // Xen's peek sends batch by batch, each batch scaled alike.
    const double planned_bytes = static_cast<double>(plan.lan.pages.count() * page);
    const double wire_share =
        encoded.wire_bytes && planned_bytes > 0 ? static_cast<double>(*encoded.wire_bytes) / planned_bytes : 1;
    uint64_t wire   = 0;
    const auto send = [&](uint64_t bytes) {
      const auto on_wire = wire_share == 1 ? bytes : static_cast<uint64_t>(std::llround(bytes * wire_share));
      wire += on_wire;
      if (plan.lan.rate_cap_Bps > 0)
        lan_.send(on_wire, plan.lan.rate_cap_Bps);
      else
        lan_.send(on_wire);
    };
    if (plan.lan.skip_rewritten && !last)  // Xen's peek: pages written again stay dirty for a later round
      plan.lan.pages = send_skipping_rewritten(plan.lan.pages, guest_, [this] { return now(); }, send);
    else
      send(plan.lan.pages.count() * page);
    const uint64_t pages = plan.lan.pages.count();
    destination_.receive_lan(plan.lan.pages);
    // Encoding overlaps sending: the round lasts at least the source CPU time it takes.
    if (now() - round_start < encoded.cpu_s)
      sg4::this_actor::sleep_for(encoded.cpu_s - (now() - round_start));
    const double sent_s = now() - round_start;
    if (!last && sent_s < switchover.min_duration_s)
      sg4::this_actor::sleep_for(switchover.min_duration_s - sent_s);
    guest_.run_until(now());
    const double duration = now() - round_start;
    result_.lan_bytes += wire;
    result_.san_bytes += san_bytes;
    const uint64_t dirty = memory.dirty_count();
    const bool post_copy = switchover.kind == Switchover::PostCopy;
    // Guest CPU-seconds the throttle took, up to the pause; the switch-over lifts it (as QEMU does).
    result_.throttle_s += plan.throttle * ((last ? round_start : now()) - throttle_from);
    if (last || post_copy)
      guest_.set_throttle(0, now());
    result_.round_log.push_back({round, last ? "stop_and_copy" : post_copy ? "before_post_copy" : "live",
                                 round_start - start_, duration, wire, san_bytes, pages, dirty, dirty * page});
    if (post_copy) {
      guest_.pause(now());
      result_.rounds = round;
      result_.status = to_string(switchover.reason);
      run_post_copy();  // resumes at the destination at once, then pushes the rest and serves faults
      measure_energy(true);
      finish();
      return;
    }
    if (last) {
      if (switchover.resume_waits_for_san)
        wait_for_restore();
      result_.downtime_s   = now() - round_start;
      result_.total_time_s = since_start();
      result_.rounds       = round;
      result_.status       = to_string(switchover.reason);
      break;
    }
    if (wire > 0 && sent_s > 0)
      lan_Bps = static_cast<double>(wire) / sent_s;
  }
  resume_at_destination();
  measure_energy(true);
  finish();
}

void VmMigration::finish()
{
  guest_.stop_dirtying(now());
  if (io_) {
    io_->stop_at(start_ + result_.total_time_s + scenario_.observe_after_s);
    wait_for_restore();  // restores not awaited before resuming still finish in the background
    sg4::this_actor::sleep_until(start_ + result_.total_time_s + scenario_.observe_after_s);
  } else {
    wait_for_restore();
  }
  sample();
  finished_ = true;
}

void VmMigration::on_guest_write(void* self, uint64_t page)
{
  auto* m = static_cast<VmMigration*>(self);
  if (m->missing_.test(page)) {  // not at the destination yet: the guest faults on it
    m->missing_.reset(page);
    m->faulted_.push_back(page);
  }
}

// Post-copy (Hines and Gopalan, VEE 2009): the guest resumes at the destination at once; a page it
// touches before it arrived is fetched on demand (a round trip plus the page; the vCPU waits), while
// a background push sends the rest in page order. Pages the SAN restores are neither pushed nor pulled.
void VmMigration::run_post_copy()
{
  GuestMemory& memory = guest_.memory();
  missing_            = memory.dirty();
  memory.take_dirty(missing_);
  for (const auto& batch : restore_batches_)
    missing_.subtract(*batch);
  const double pause_t = now();
  memory.set_write_hook(&VmMigration::on_guest_write, this);
  resume_at_destination();
  result_.downtime_s = now() - pause_t;
  const uint64_t page        = memory.page_size();
  const uint64_t chunk_pages = std::max<uint64_t>(1, static_cast<uint64_t>(scenario_.migration.chunk_bytes) / page);
  bool pushed                = false;
  sg4::ActorPtr pusher = sg4::Actor::create("post-copy-pusher", hosts_.source, [&] {
    for (uint64_t cursor = 0; cursor < memory.page_count();) {
      PageBitmap chunk(memory.page_count());
      uint64_t n = 0;
      for (; cursor < memory.page_count() && n < chunk_pages; ++cursor)
        if (missing_.test(cursor)) {
          missing_.reset(cursor);
          chunk.set(cursor);
          ++n;
        }
      if (n == 0)
        continue;
      lan_.send(n * page);
      destination_.receive_lan(chunk);
      result_.lan_bytes += n * page;
    }
    pushed = true;
  });
  const double step = scenario_.io.step_s;
  while (!pushed || !faulted_.empty()) {
    sg4::this_actor::sleep_for(step);
    guest_.run_until(now());
    serve_faults();
  }
  pusher->join();
  memory.set_write_hook(nullptr, nullptr);
  wait_for_restore();
  result_.total_time_s = since_start();
}

void VmMigration::serve_faults()
{
  if (faulted_.empty())
    return;
  const double t0 = now();
  guest_.pause(t0);  // the vCPU waits for its pages
  const auto faults = faulted_.size();
  PageBitmap pages(guest_.memory().page_count());
  for (uint64_t p : faulted_)
    pages.set(p);
  faulted_.clear();
  // One request per fault (the round trip), the pages themselves sharing the LAN with the push.
  sg4::this_actor::sleep_for(static_cast<double>(faults) * 2 * hosts_.lan_latency_s);
  faults_.send(faults * guest_.memory().page_size());
  destination_.receive_lan(pages);
  result_.lan_bytes += faults * guest_.memory().page_size();
  result_.page_faults += faults;
  result_.fault_wait_s += now() - t0;
  guest_.resume(now());
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
