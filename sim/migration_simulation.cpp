#include "migration_simulation.hpp"

#include "guest_io_driver.hpp"
#include "io_penalty.hpp"
#include "models/destination_memory.hpp"
#include "models/policy_registry.hpp"
#include "models/running_guest.hpp"
#include "platform_builder.hpp"
#include "scenario_error.hpp"
#include "transfer_pipe.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <memory>
#include <optional>
#include <stdexcept>

namespace sg4 = simgrid::s4u;

namespace migsim {
namespace {

/// The migration as it happens: state shared by the sender, the SAN restorer, the guest's IO and the
/// sampler, all actors of one SimGrid engine (so no locking: actors never run at the same time).
class Migration {
public:
  Migration(const Scenario& s, const MigrationHosts& hosts);

  void run_sender();
  void run_sampler();
  void run_guest_io() { io_->run(); }
  bool has_io() const { return io_.has_value(); }
  RunResult take_result();

private:
  double now() const { return sg4::Engine::get_clock(); }
  double since_start() const { return now() - start_; }
  void check(const RoundPlan& plan) const;
  void start_restore(const PageBitmap& pages, double delay_s);
  void wait_for_restore();
  void mark_restored_pages();
  void resume_at_destination();
  void finish();
  void sample();

  const Scenario& scenario_;
  MigrationHosts hosts_;
  RunningGuest guest_;
  std::unique_ptr<MigrationPolicy> policy_;
  DestinationMemory destination_;
  TransferPipe lan_;
  std::optional<TransferPipe> san_;
  std::optional<GuestIoDriver> io_;
  std::vector<sg4::ActorPtr> restorers_;
  std::vector<std::shared_ptr<const PageBitmap>> restore_batches_;  // read in this order, each in page order
  uint64_t restored_     = 0;  // how many restored pages have been marked present at the destination
  size_t cursor_batch_   = 0;  // where the next restored page is looked for
  uint64_t cursor_page_  = 0;
  bool resumed_    = false;
  double start_         = 0;
  double restore_start_    = -1;
  uint64_t san_requested_  = 0;
  bool finished_        = false;
  // sampler state: the cumulative counters at the previous sample
  double last_t_ = 0, last_lan_ = 0, last_san_ = 0, last_guest_san_ = 0, last_served_ = 0;
  uint64_t last_hits_ = 0, last_misses_ = 0;
  RunResult result_;
};

Migration::Migration(const Scenario& s, const MigrationHosts& hosts)
    : scenario_(s)
    , hosts_(hosts)
    , guest_(s.memory, s.dirtying, s.seed)
    , policy_(PolicyRegistry::instance().find(s.migration.policy).make(s.migration.params))
    , destination_(s.memory.page_count)
    , lan_(s.name + "-lan", hosts.destination, s.migration.streams, static_cast<uint64_t>(s.migration.chunk_bytes),
           s.migration.limits.bandwidth_cap_Bps)
{
  if (hosts.storage)
    san_.emplace(s.name + "-san", hosts.destination, s.migration.streams,
                 static_cast<uint64_t>(s.migration.chunk_bytes), 0);
  if (s.io.enabled) {
    if (!hosts.storage)
      throw ScenarioError(s.origin, "/platform/storage_host", "the guest's IO workload needs a storage host");
    io_.emplace(s, guest_, hosts);
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
  start_               = s.migration.start_s;  // known ahead so that samples before it have negative times
}

void Migration::check(const RoundPlan& plan) const
{
  const std::string who = "policy " + scenario_.migration.policy;
  const uint64_t n      = guest_.memory().page_count();
  if (plan.lan.size() != n || plan.san.size() != n || plan.drop.size() != n)
    throw std::logic_error(who + " returned page sets of the wrong size");
  if (!plan.san.none() && !san_)
    throw ScenarioError(scenario_.origin, "/platform/storage_host",
                        who + " reads from the SAN but the platform has no storage host");
  if (plan.switchover == Switchover::PostCopy)
    throw std::logic_error(who + " asked for post-copy, which this simulator does not carry out yet");
  bool only_clean = true;
  plan.san.for_each([&](uint64_t p) { only_clean &= guest_.memory().page_class(p) == PageClass::CleanCache; });
  if (!only_clean)
    throw std::logic_error(who + " restores a page that is not clean cache");
}

void Migration::start_restore(const PageBitmap& pages, double delay_s)
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

void Migration::wait_for_restore()
{
  for (auto& actor : restorers_)
    actor->join();
  restorers_.clear();
}

// Restored pages become usable at the destination in restore order, as their bytes arrive.
void Migration::mark_restored_pages()
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

void Migration::resume_at_destination()
{
  resumed_ = true;
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

void Migration::sample()
{
  const double t  = now();
  const double dt = t - last_t_;
  if (dt <= 0)
    return;
  guest_.run_until(t);
  Sample s{};
  s.time_s          = t - start_;
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

void Migration::run_sampler()
{
  while (!finished_) {
    sg4::this_actor::sleep_for(scenario_.sample_interval_s);
    if (!finished_)
      sample();
  }
}

void Migration::run_sender()
{
  sg4::this_actor::sleep_until(start_);  // the guest runs before migration starts
  result_.migration_start_s     = start_;
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
    if (plan.switchover == Switchover::None && (round >= limits.max_rounds || since_start() >= limits.max_time_s)) {
      plan.switchover = Switchover::StopAndCopy;
      plan.status     = round >= limits.max_rounds ? "round_limit" : "time_limit";
    }
    plan.drop.for_each([&](uint64_t p) { memory.drop(p); });
    memory.take_dirty(plan.drop | plan.lan | plan.san);
    if (plan.setup_s > 0)
      sg4::this_actor::sleep_for(plan.setup_s);
    const uint64_t san_bytes = plan.san.count() * page;
    if (san_bytes > 0)
      start_restore(plan.san, plan.san_delay_s);
    const bool last = plan.switchover == Switchover::StopAndCopy;
    const double round_start = now();
    if (last)
      guest_.pause(round_start);
    const uint64_t pages = plan.lan.count();
    if (plan.rate_cap_Bps > 0)
      lan_.send(pages * page, plan.rate_cap_Bps);
    else
      lan_.send(pages * page);
    destination_.receive_lan(plan.lan);
    const double sent_s = now() - round_start;
    if (!last && sent_s < plan.min_duration_s)
      sg4::this_actor::sleep_for(plan.min_duration_s - sent_s);
    guest_.run_until(now());
    const double duration = now() - round_start;
    result_.lan_bytes += pages * page;
    result_.san_bytes += san_bytes;
    const uint64_t dirty = memory.dirty_count();
    result_.round_log.push_back({round, last ? "stop_and_copy" : "live", round_start - start_, duration, pages * page,
                                 san_bytes, pages, dirty, dirty * page});
    if (last) {
      if (plan.resume_waits_for_san)
        wait_for_restore();
      result_.downtime_s   = now() - round_start;
      result_.total_time_s = since_start();
      result_.rounds       = round;
      result_.status       = plan.status;
      break;
    }
    if (pages > 0 && sent_s > 0)
      lan_Bps = static_cast<double>(pages * page) / sent_s;
  }
  resume_at_destination();
  finish();
}

void Migration::finish()
{
  if (io_) {
    io_->stop_at(now() + scenario_.observe_after_s);
    wait_for_restore();  // restores not awaited before resuming still finish in the background
    sg4::this_actor::sleep_until(start_ + result_.total_time_s + scenario_.observe_after_s);
  } else {
    wait_for_restore();
  }
  sample();
  finished_ = true;
}

RunResult Migration::take_result()
{
  if (io_) {
    std::vector<ThroughputSample> series;
    double previous = -start_;
    for (const Sample& s : result_.samples) {
      series.push_back({s.time_s, s.time_s - previous, s.io_Bps});
      previous = s.time_s;
    }
    const IoPenalty p       = io_penalty(series, result_.total_time_s, scenario_.baseline_window_s);
    result_.io_baseline_Bps = p.baseline_Bps;
    result_.io_penalty_s    = p.penalty_s;
    result_.io_recovery_s   = p.recovery_s;
  }
  return std::move(result_);
}

}  // namespace

RunResult simulate_migration(const Scenario& scenario)
{
  int argc     = 2;
  char name[]  = "migsim";
  char quiet[] = "--log=root.thres:warning";
  char* argv[] = {name, quiet, nullptr};
  sg4::Engine engine(&argc, argv);
  configure_network_model(scenario.platform);
  const MigrationHosts hosts = build_platform(scenario);
  Migration migration(scenario, hosts);
  sg4::Actor::create("migration-sender", hosts.source, [&migration] { migration.run_sender(); });
  sg4::Actor::create("sampler", hosts.source, [&migration] { migration.run_sampler(); })->daemonize();
  if (migration.has_io())
    sg4::Actor::create("guest-io", hosts.storage, [&migration] { migration.run_guest_io(); });
  engine.run();
  return migration.take_result();
}

}  // namespace migsim
