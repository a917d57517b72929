#include "sim/engine/migration_sender.hpp"

#include "models/policies/policy_registry.hpp"
#include "models/pass_order.hpp"
#include "models/xen_scan.hpp"
#include "sim/scenario/scenario_error.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <cmath>
#include <stdexcept>

namespace sg4 = simgrid::s4u;

namespace migsim {

MigrationSender::MigrationSender(const Scenario& s, const MigrationHosts& hosts, RunningGuest& guest,
                                 DestinationMemory& destination, TransferPipe& lan, SanRestorer& restorer,
                                 const GuestIoDriver* io, RunResult& result)
    : scenario_(s)
    , hosts_(hosts)
    , guest_(guest)
    , destination_(destination)
    , lan_(lan)
    , restorer_(restorer)
    , io_(io)
    , result_(result)
    , policy_(PolicyRegistry::instance().find(s.migration.policy).make(s.migration.params))
    , encoding_(PageEncodingSettings::from(s.migration.params))
{
}

double MigrationSender::now() const
{
  return sg4::Engine::get_clock();
}

MigrationSnapshot MigrationSender::snapshot(int round, double lan_Bps) const
{
  const double san_done      = restorer_.bytes_moved();
  const double guest_san_Bps = io_ && now() > 0 ? io_->storage_bytes() / now() : 0;
  return {guest_.memory(),
          scenario_.migration.limits,
          round,
          now() - start_s_,
          result_.lan_bytes,
          static_cast<uint64_t>(san_done),
          restorer_.requested_bytes() - static_cast<uint64_t>(san_done),
          lan_Bps,
          restorer_.rate_Bps(now(), hosts_.san_Bps),
          guest_san_Bps};
}

void MigrationSender::check(const RoundPlan& plan) const
{
  const std::string who = "policy " + scenario_.migration.policy;
  const uint64_t n      = guest_.memory().page_count();
  if (plan.lan.pages.size() != n || plan.san.pages.size() != n || plan.drop.size() != n)
    throw std::logic_error(who + " returned page sets of the wrong size");
  if (!plan.san.pages.none() && !restorer_.available())
    throw ScenarioError(scenario_.origin, "/platform/storage_host",
                        who + " reads from the SAN but the platform has no storage host");
  bool only_clean = true;
  plan.san.pages.for_each([&](uint64_t p) { only_clean &= guest_.memory().page_class(p) == PageClass::CleanCache; });
  if (!only_clean)
    throw std::logic_error(who + " restores a page that is not clean cache");
  if (!(plan.throttle >= 0 && plan.throttle <= 0.99))
    throw std::logic_error(who + " asked for a throttle outside [0, 0.99]");
}

uint64_t MigrationSender::send_lan(LanTransfer& lan, double wire_share, bool paused)
{
  uint64_t wire   = 0;
  const auto send = [&](uint64_t bytes) {
    const auto on_wire = wire_share == 1 ? bytes : static_cast<uint64_t>(std::llround(bytes * wire_share));
    wire += on_wire;
    if (paused && !scenario_.migration.cap_final_copy)
      lan_.send(on_wire, 0);  // QEMU lifts the rate limit at the switch-over (migration_switchover_start)
    else if (lan.rate_cap_Bps > 0)
      lan_.send(on_wire, lan.rate_cap_Bps);
    else
      lan_.send(on_wire);
  };
  if (lan.skip_rewritten && !paused)  // Xen's peek: pages written again stay dirty for a later round
    lan.pages = send_skipping_rewritten(lan.pages, guest_, [this] { return now(); }, send);
  else
    send(lan.pages.count() * guest_.memory().page_size());
  return wire;
}

void MigrationSender::measure(uint64_t wire, double seconds, double checkpoint_s)
{
  window_bytes_ += wire;
  window_s_ += seconds;
  if (window_s_ >= checkpoint_s * (1 - 1e-9) && window_s_ > 0) {
    window_Bps_   = static_cast<double>(window_bytes_) / window_s_;
    window_bytes_ = 0;
    window_s_     = 0;
  }
}

uint64_t MigrationSender::send_in_pieces(RoundPlan& plan, int round, double lan_Bps)
{
  const GuestMemory& memory = guest_.memory();
  const double cap = plan.lan.rate_cap_Bps > 0 ? plan.lan.rate_cap_Bps : scenario_.migration.limits.bandwidth_cap_Bps;
  const double checkpoint_s = plan.switchover.checkpoint_s;
  PassOrder order(plan.lan.pages, memory.pages_of(PageClass::Free), pass_position_);
  PageBitmap sent(memory.page_count());
  uint64_t unsent = plan.lan.pages.count();
  uint64_t wire   = 0;
  uint64_t next   = 0;
  uint64_t position = pass_position_;  // the rank after the last page sent
  bool more       = order.next(next);
  while (more) {
    const double rate   = window_Bps_ > 0 ? window_Bps_ : lan_Bps;
    const double budget = (cap > 0 ? std::min(cap, rate) : rate) * checkpoint_s;
    double bytes = 0, cpu_s = 0;
    do {
      bytes += encoding_.wire_bytes_of(memory, next);
      cpu_s += encoding_.cpu_s_of(memory, next);
      sent.set(next);
      --unsent;
      position = order.position();
      more     = order.next(next);
    } while (bytes < budget && more);
    const double piece_start = now();
    const auto on_wire       = static_cast<uint64_t>(std::llround(bytes));
    if (plan.lan.rate_cap_Bps > 0)
      lan_.send(on_wire, plan.lan.rate_cap_Bps);
    else
      lan_.send(on_wire);
    if (now() - piece_start < cpu_s)  // encoding overlaps sending: a piece lasts its CPU time at least
      sg4::this_actor::sleep_for(cpu_s - (now() - piece_start));
    wire += on_wire;
    measure(on_wire, now() - piece_start, checkpoint_s);
    if (unsent == 0)
      break;
    MigrationSnapshot s = snapshot(round, window_Bps_ > 0 ? window_Bps_ : lan_Bps);
    s.unsent_bytes      = unsent * memory.page_size();
    if (policy_->end_round_early(s))
      break;
  }
  pass_position_        = position;
  const PageBitmap left = minus(plan.lan.pages, sent);
  guest_.memory().keep_dirty(left);
  encoding_.not_sent(left);
  plan.lan.pages = sent;
  return wire;
}

uint64_t MigrationSender::send_device_state(double policy_cap_Bps)
{
  const auto bytes = static_cast<uint64_t>(scenario_.migration.switchover.device_state_bytes);
  if (bytes == 0)
    return 0;
  const MigrationSpec& m = scenario_.migration;
  if (!m.cap_final_copy)
    lan_.send(bytes, 0);
  else if (policy_cap_Bps > 0)
    lan_.send(bytes, policy_cap_Bps);
  else
    lan_.send(bytes);
  return bytes;
}

Switchover MigrationSender::run(double start_s)
{
  start_s_                      = start_s;
  const MigrationLimits& limits = scenario_.migration.limits;
  GuestMemory& memory           = guest_.memory();
  const uint64_t page           = memory.page_size();
  double lan_Bps                = hosts_.lan_Bps;
  for (int round = 0;; ++round) {
    guest_.run_until(now());
    RoundPlan plan = policy_->plan_round(snapshot(round, lan_Bps));
    check(plan);
    // The simulator, not the policy, has the last word on limits: a policy that never stops is stopped.
    SwitchoverDecision& switchover = plan.switchover;
    if (switchover.kind == Switchover::None && (round >= limits.max_rounds || now() - start_s_ >= limits.max_time_s)) {
      switchover.kind   = Switchover::StopAndCopy;
      switchover.reason = round >= limits.max_rounds ? StopReason::RoundLimit : StopReason::TimeLimit;
    }
    if (limits.cancel_at_max_time && switchover.kind != Switchover::None && switchover.reason == StopReason::TimeLimit) {
      // Cancelled, as a driver's timeout cancels QEMU: nothing more is sent and the guest runs on at
      // the source, unthrottled; the run is not a migration that completed.
      guest_.set_throttle(0, now());
      result_.rounds       = round;
      result_.status       = "cancelled";
      result_.total_time_s = now() - start_s_;
      result_.downtime_s   = 0;
      return Switchover::None;
    }
    const LanEncoding encoded = encoding_.apply(memory, plan);
    // Auto-converge: the guest runs throttled from here until the next plan.
    const double throttle_from = now();
    guest_.set_throttle(plan.throttle, throttle_from);
    plan.drop.for_each([&](uint64_t p) { memory.drop(p); });
    memory.take_dirty(plan.drop, plan.lan.pages, plan.san.pages);
    if (plan.san.setup_s > 0)
      sg4::this_actor::sleep_for(plan.san.setup_s);
    const uint64_t san_bytes = plan.san.pages.count() * page;
    if (san_bytes > 0)
      restorer_.start(plan.san.pages, plan.san.delay_s);
    const bool last          = switchover.kind == Switchover::StopAndCopy;
    const double round_start = now();
    if (last)
      guest_.pause(round_start);
    // Encodings (zero pages, XBZRLE) put their wire bytes on the wire instead of pages x page size;
    // Xen's peek sends batch by batch, each batch scaled alike.
    const double planned_bytes = static_cast<double>(plan.lan.pages.count() * page);
    const double wire_share =
        encoded.wire_bytes && planned_bytes > 0 ? static_cast<double>(*encoded.wire_bytes) / planned_bytes : 1;
    const bool in_pieces = switchover.kind == Switchover::None && switchover.checkpoint_s > 0 && !plan.lan.skip_rewritten;
    uint64_t wire = in_pieces ? send_in_pieces(plan, round, lan_Bps) : send_lan(plan.lan, wire_share, last);
    if (last)
      wire += send_device_state(plan.lan.rate_cap_Bps);
    const uint64_t pages = plan.lan.pages.count();
    destination_.receive_lan(plan.lan.pages);
    // Encoding overlaps sending: the round lasts at least the source CPU time it takes.
    if (!in_pieces && now() - round_start < encoded.cpu_s)
      sg4::this_actor::sleep_for(encoded.cpu_s - (now() - round_start));
    const double sent_s = now() - round_start;
    if (!last && switchover.wait_for_san)
      restorer_.wait();
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
                                 round_start - start_s_, duration, wire, san_bytes, pages, dirty, dirty * page});
    if (post_copy || last) {
      result_.rounds = round;
      result_.status = to_string(switchover.reason);
    }
    if (post_copy) {
      guest_.pause(now());
      return Switchover::PostCopy;
    }
    if (last) {
      if (switchover.resume_waits_for_san)
        restorer_.wait();
      sg4::this_actor::sleep_for(scenario_.migration.switchover.resume_s);
      result_.downtime_s   = now() - round_start;
      result_.total_time_s = now() - start_s_;
      return Switchover::StopAndCopy;
    }
    if (in_pieces)
      lan_Bps = window_Bps_ > 0 ? window_Bps_ : lan_Bps;  // QEMU's threshold: the last window's rate
    else if (wire > 0 && sent_s > 0)
      lan_Bps = static_cast<double>(wire) / sent_s;
  }
}

}  // namespace migsim
