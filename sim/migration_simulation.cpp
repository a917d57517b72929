#include "migration_simulation.hpp"

#include "models/policy_registry.hpp"
#include "models/running_guest.hpp"
#include "platform_builder.hpp"
#include "transfer_pipe.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <memory>
#include <optional>
#include <stdexcept>

namespace sg4 = simgrid::s4u;

namespace migsim {
namespace {

/// The migration as it happens: state shared by the sender, the SAN restorers and the sampler.
class Migration {
public:
  Migration(const Scenario& s, const MigrationHosts& hosts)
      : scenario_(s)
      , hosts_(hosts)
      , guest_(s.memory, s.dirtying, s.seed)
      , policy_(PolicyRegistry::instance().find(s.migration.policy).make(s.migration.params))
      , lan_(s.name + "-lan", hosts.destination, s.migration.streams, static_cast<uint64_t>(s.migration.chunk_bytes),
             s.migration.limits.bandwidth_cap_Bps)
  {
    if (hosts.storage)
      san_.emplace(s.name + "-san", hosts.destination, s.migration.streams,
                   static_cast<uint64_t>(s.migration.chunk_bytes), 0);
    result_.scenario     = s.name;
    result_.policy       = s.migration.policy;
    result_.seed         = s.seed;
    result_.memory_bytes = guest_.memory().bytes();
    result_.page_size    = guest_.memory().page_size();
    result_.lan_path_Bps = hosts.lan_Bps;
    result_.san_path_Bps = hosts.san_Bps;
  }

  void run_sender();
  void run_sampler();
  RunResult take_result() { return std::move(result_); }

private:
  double now() const { return sg4::Engine::get_clock(); }
  double since_start() const { return now() - start_; }
  void check(const RoundPlan& plan) const;
  void start_restore(uint64_t bytes);
  void wait_for_restore();
  void sample();

  const Scenario& scenario_;
  MigrationHosts hosts_;
  RunningGuest guest_;
  std::unique_ptr<MigrationPolicy> policy_;
  TransferPipe lan_;
  std::optional<TransferPipe> san_;
  std::vector<sg4::ActorPtr> restorers_;
  double start_          = 0;
  double restore_start_  = -1;
  uint64_t san_done_     = 0;
  uint64_t san_pending_  = 0;
  bool finished_         = false;
  double last_sample_t_  = 0;
  double last_lan_moved_ = 0;
  double last_san_moved_ = 0;
  RunResult result_;
};

void Migration::check(const RoundPlan& plan) const
{
  const uint64_t n = guest_.memory().page_count();
  if (plan.lan.size() != n || plan.san.size() != n || plan.drop.size() != n)
    throw std::logic_error("policy " + scenario_.migration.policy + " returned page sets of the wrong size");
  if (!plan.san.none() && !san_)
    throw std::logic_error("policy " + scenario_.migration.policy + " reads from the SAN but the platform has no storage host");
  if (plan.switchover == Switchover::PostCopy)
    throw std::logic_error("policy " + scenario_.migration.policy +
                           " asked for post-copy, which this simulator does not carry out yet");
  bool only_clean = true;
  plan.san.for_each([&](uint64_t p) { only_clean &= guest_.memory().page_class(p) == PageClass::CleanCache; });
  if (!only_clean)
    throw std::logic_error("policy " + scenario_.migration.policy + " restores a page that is not clean cache");
}

void Migration::start_restore(uint64_t bytes)
{
  if (restore_start_ < 0)
    restore_start_ = now();
  san_pending_ += bytes;
  restorers_.push_back(sg4::Actor::create("san-restorer", hosts_.storage, [this, bytes] {
    san_->send(bytes);
    san_pending_ -= bytes;
    san_done_ += bytes;
  }));
}

void Migration::wait_for_restore()
{
  for (auto& actor : restorers_)
    actor->join();
  restorers_.clear();
}

void Migration::sample()
{
  const double t  = now();
  const double dt = t - last_sample_t_;
  if (dt <= 0)
    return;
  guest_.run_until(t);
  const double lan = lan_.bytes_moved();
  const double san = san_ ? san_->bytes_moved() : 0;
  result_.samples.push_back({t - start_, (lan - last_lan_moved_) / dt, (san - last_san_moved_) / dt,
                             guest_.memory().dirty_count()});
  last_sample_t_  = t;
  last_lan_moved_ = lan;
  last_san_moved_ = san;
}

void Migration::run_sampler()
{
  last_sample_t_ = now();
  while (!finished_) {
    sg4::this_actor::sleep_for(scenario_.sample_interval_s);
    if (!finished_)
      sample();
  }
}

void Migration::run_sender()
{
  sg4::this_actor::sleep_for(scenario_.migration.start_s);  // the guest runs before migration starts
  start_                 = now();
  result_.migration_start_s = start_;
  const MigrationLimits& limits = scenario_.migration.limits;
  GuestMemory& memory    = guest_.memory();
  const uint64_t page    = memory.page_size();
  double lan_Bps         = hosts_.lan_Bps;
  for (int round = 0;; ++round) {
    guest_.run_until(now());
    const double san_Bps = san_done_ > 0 ? san_done_ / (now() - restore_start_) : hosts_.san_Bps;
    MigrationSnapshot snapshot{memory, limits, round, since_start(), result_.lan_bytes, san_done_, san_pending_,
                               lan_Bps, san_Bps};
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
      start_restore(san_bytes);
    const bool last = plan.switchover == Switchover::StopAndCopy;
    const double pause_t = now();
    if (last)
      guest_.pause(pause_t);
    const uint64_t pages    = plan.lan.count();
    const double round_start = now();
    lan_.send(pages * page);
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
      result_.downtime_s   = now() - pause_t;
      result_.total_time_s = since_start();
      result_.rounds       = round;
      result_.status       = plan.status;
      break;
    }
    if (pages > 0 && duration > 0)
      lan_Bps = static_cast<double>(pages * page) / duration;
  }
  wait_for_restore();  // restores not awaited before resuming still finish in the background
  guest_.resume(now());
  sample();
  finished_ = true;
}

}  // namespace

RunResult simulate_migration(const Scenario& scenario)
{
  int argc           = 2;
  char name[]        = "migsim";
  char quiet[]       = "--log=root.thres:warning";
  char* argv[]       = {name, quiet, nullptr};
  sg4::Engine engine(&argc, argv);
  configure_network_model(scenario.platform);
  const MigrationHosts hosts = build_platform(scenario);
  Migration migration(scenario, hosts);
  sg4::Actor::create("migration-sender", hosts.source, [&migration] { migration.run_sender(); });
  sg4::Actor::create("sampler", hosts.source, [&migration] { migration.run_sampler(); })->daemonize();
  engine.run();
  return migration.take_result();
}

}  // namespace migsim
