#include "precopy_policy.hpp"

namespace migsim {

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

RoundPlan PrecopyPolicy::plan_round(const MigrationSnapshot& s)
{
  if (s.round == 0)
    return first_round(s);
  RoundPlan plan = RoundPlan::over_lan(s.memory.dirty());
  stop_rule(s, plan);
  return plan;
}

}  // namespace migsim
