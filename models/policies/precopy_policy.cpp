#include "models/policies/precopy_policy.hpp"

#include <algorithm>

namespace migsim {

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
  return o;
}

RoundPlan PrecopyPolicy::first_round(const MigrationSnapshot& s)
{
  return RoundPlan::over_lan(s.memory.dirty());
}

void PrecopyPolicy::stop_rule(const MigrationSnapshot& s, RoundPlan& plan)
{
  const double remaining = static_cast<double>(plan.lan.count() * s.memory.page_size());
  const auto stop        = [&](const char* status) {
    plan.switchover = Switchover::StopAndCopy;
    plan.status     = status;
  };
  if (remaining <= s.lan_Bps * s.limits.downtime_limit_s)
    stop("ok");
  else if (s.round >= s.limits.max_rounds)
    stop("round_limit");
  else if (static_cast<double>(s.lan_bytes) + remaining > s.limits.max_bytes_factor * s.memory.bytes())
    stop("byte_limit");
  else if (s.elapsed_s >= s.limits.max_time_s)
    stop("time_limit");
}

void PrecopyPolicy::limit_rate(const MigrationSnapshot& s, RoundPlan& plan)
{
  const double max = options_.rate_max_Bps > 0 ? options_.rate_max_Bps : 1e300;
  if (s.round == 0) {
    rate_Bps_ = std::min(options_.rate_first_Bps, max);
  } else {
    // Xen checks "no progress at full rate" against the round just done, before raising the rate.
    const uint64_t sent = s.lan_bytes - last_lan_bytes_;
    if (plan.switchover == Switchover::None && rate_Bps_ >= max && sent > last_sent_) {
      plan.switchover = Switchover::StopAndCopy;
      plan.status     = "ok";
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
  plan.rate_cap_Bps = rate_Bps_;
}

RoundPlan PrecopyPolicy::plan_round(const MigrationSnapshot& s)
{
  RoundPlan plan = s.round == 0 ? first_round(s) : RoundPlan::over_lan(s.memory.dirty());
  if (s.round > 0)
    stop_rule(s, plan);
  if (options_.rate_first_Bps > 0)
    limit_rate(s, plan);
  plan.skip_rewritten = options_.skip_rewritten && plan.switchover == Switchover::None;
  return plan;
}

}  // namespace migsim
