#include "models/policies/precopy_policy.hpp"

#include "models/policies/qemu_options_policy.hpp"

#include <algorithm>

namespace migsim {

PolicyDeclaration precopy_declaration()
{
  const std::vector<ParamSpec> params = with_qemu_option_specs({
      {"rate_first", Quantity::Rate, 0, 0, 1e15, "dynamic rate limit: cap of round 0 (0: no dynamic rate limit)"},
      {"rate_increment", Quantity::Rate, 0, 0, 1e15, "dynamic rate limit: added to the last round's dirtying rate"},
      {"rate_max", Quantity::Rate, 0, 0, 1e15, "dynamic rate limit: highest cap (0: none)"},
      {"skip_rewritten", std::nullopt, 0, 0, 1, "1: skip pages written again since the round began (Xen's peek)"},
      {"switchover_check", Quantity::Duration, 0, 0, 60,
       "check this often during a round whether its rest fits the downtime limit (QEMU: 0.1 s; 0: at its end only)"}});
  return {"precopy", "iterative pre-copy (QEMU/Xen); page cache sent like any memory", params,
          [](const PolicyParams& p) {
            return with_qemu_options(std::make_unique<PrecopyPolicy>(PrecopyOptions::from(p)), p);
          }};
}

PrecopyOptions PrecopyOptions::from(const PolicyParams& params)
{
  auto get = [&](const char* name) {
    const auto it = params.find(name);
    return it == params.end() ? 0.0 : it->second;
  };
  PrecopyOptions o;
  o.rate_first_Bps     = get("rate_first");
  o.rate_increment_Bps = get("rate_increment");
  o.rate_max_Bps       = get("rate_max");
  o.skip_rewritten     = get("skip_rewritten") >= 0.5;
  const auto check     = params.find("switchover_check");
  o.switchover_check_s = check == params.end() ? 0.0 : check->second;
  return o;
}

RoundPlan PrecopyPolicy::first_round(const MigrationSnapshot& s)
{
  return RoundPlan::over_lan(s.memory.dirty());
}

void PrecopyPolicy::stop_rule(const MigrationSnapshot& s, RoundPlan& plan)
{
  const double remaining = static_cast<double>(plan.lan.pages.count() * s.memory.page_size());
  const auto stop        = [&](StopReason reason) {
    plan.switchover.kind   = Switchover::StopAndCopy;
    plan.switchover.reason = reason;
  };
  if (remaining <= s.lan_Bps * s.limits.downtime_limit_s)
    stop(StopReason::Converged);
  else if (s.round >= s.limits.max_rounds)
    stop(StopReason::RoundLimit);
  else if (static_cast<double>(s.lan_bytes) + remaining > s.limits.max_bytes_factor * s.memory.bytes())
    stop(StopReason::ByteLimit);
  else if (s.elapsed_s >= s.limits.max_time_s)
    stop(StopReason::TimeLimit);
}

void PrecopyPolicy::limit_rate(const MigrationSnapshot& s, RoundPlan& plan)
{
  const double max = options_.rate_max_Bps > 0 ? options_.rate_max_Bps : 1e300;
  if (s.round == 0) {
    rate_Bps_ = std::min(options_.rate_first_Bps, max);
  } else {
    // Xen checks "no progress at full rate" against the round just done, before raising the rate.
    const uint64_t sent = s.lan_bytes - last_lan_bytes_;
    if (plan.switchover.kind == Switchover::None && rate_Bps_ >= max && sent > last_sent_) {
      plan.switchover.kind   = Switchover::StopAndCopy;
      plan.switchover.reason = StopReason::Converged;
    }
    last_sent_           = sent;
    const double seconds = s.elapsed_s - last_plan_s_;
    const double dirtying =
        seconds > 0 ? static_cast<double>(s.memory.dirty_count() * s.memory.page_size()) / seconds : 0;
    if (dirtying > rate_Bps_)
      rate_Bps_ = std::min(dirtying + options_.rate_increment_Bps, max);
  }
  last_plan_s_      = s.elapsed_s;
  last_lan_bytes_   = s.lan_bytes;
  plan.lan.rate_cap_Bps = rate_Bps_;
}

RoundPlan PrecopyPolicy::plan_round(const MigrationSnapshot& s)
{
  RoundPlan plan = s.round == 0 ? first_round(s) : RoundPlan::over_lan(s.memory.dirty());
  if (s.round > 0)
    stop_rule(s, plan);
  if (options_.rate_first_Bps > 0)
    limit_rate(s, plan);
  plan.lan.skip_rewritten = options_.skip_rewritten && plan.switchover.kind == Switchover::None;
  if (plan.switchover.kind == Switchover::None && !options_.xen())
    plan.switchover.checkpoint_s = options_.switchover_check_s;
  return plan;
}

bool PrecopyPolicy::end_round_early(const MigrationSnapshot& s)
{
  return static_cast<double>(s.unsent_bytes) <= s.lan_Bps * s.limits.downtime_limit_s;
}

}  // namespace migsim
