#include "models/policies/qemu_options_policy.hpp"

#include "models/page_encoding.hpp"

#include <algorithm>

namespace migsim {

std::vector<ParamSpec> qemu_option_specs()
{
  const auto flag = [](const char* name, const char* what) { return ParamSpec{name, std::nullopt, 0, 0, 1, what}; };
  std::vector<ParamSpec> specs = {
      flag("auto_converge", "1: throttle the guest's CPU while dirtying outpaces sending (QEMU auto-converge)"),
      {"cpu_throttle_initial", std::nullopt, 0.20, 0.01, 0.99, "auto-converge: first throttle, fraction of guest CPU"},
      {"cpu_throttle_increment", std::nullopt, 0.10, 0.01, 0.99, "auto-converge: added at every later trigger"},
      {"max_cpu_throttle", std::nullopt, 0.99, 0.01, 0.99, "auto-converge: highest throttle"},
      {"throttle_trigger_threshold", std::nullopt, 0.50, 0.01, 1.0,
       "auto-converge: dirtied / sent ratio of a period that counts towards a throttle step"}};
  const std::vector<ParamSpec> encodings = page_encoding_specs();  // listed in between, as always
  specs.insert(specs.end(), encodings.begin(), encodings.end());
  specs.insert(specs.end(), {
      {"downtime_step", Quantity::Duration, 0, 0, 3600, "raise the downtime limit by this much per round (0: off)"},
      {"downtime_step_after", std::nullopt, 0, 0, 100000, "live rounds before the downtime limit starts to rise"},
      flag("postcopy_on_stall", "1: switch to post-copy when what remains did not shrink for 2 rounds")});
  return specs;
}

std::vector<ParamSpec> with_qemu_option_specs(std::vector<ParamSpec> own)
{
  const std::vector<ParamSpec> qemu = qemu_option_specs();
  own.insert(own.end(), qemu.begin(), qemu.end());
  return own;
}

QemuOptions QemuOptions::from(const PolicyParams& params)
{
  const std::vector<ParamSpec> specs = qemu_option_specs();
  const auto get = [&](const char* name) { return param_value(params, specs, name); };
  const auto on = [&](const char* name) { return get(name) >= 0.5; };
  QemuOptions o;
  o.auto_converge               = on("auto_converge");
  o.throttle                    = {get("cpu_throttle_initial"), get("cpu_throttle_increment"), get("max_cpu_throttle"),
                                   get("throttle_trigger_threshold")};
  o.downtime_step_s             = get("downtime_step");
  o.downtime_step_after         = static_cast<int>(get("downtime_step_after"));
  o.postcopy_on_stall           = on("postcopy_on_stall");
  return o;
}

double stepped_downtime_limit(const QemuOptions& o, double base_s, int round)
{
  return base_s + o.downtime_step_s * std::max(0, round - o.downtime_step_after);
}

QemuOptionsPolicy::QemuOptionsPolicy(std::unique_ptr<MigrationPolicy> inner, const QemuOptions& options)
    : inner_(std::move(inner)), options_(options)
{
  if (options.auto_converge)
    auto_converge_.emplace(options.throttle);
}

RoundPlan QemuOptionsPolicy::plan_round(const MigrationSnapshot& s)
{
  // What remains now was dirtied during the round that just ended: that round is the sync period.
  const uint64_t dirty = s.memory.dirty_count();
  flat_rounds_         = s.round > 0 && dirty >= last_dirty_ ? flat_rounds_ + 1 : 0;
  last_dirty_          = dirty;
  double throttle      = 0;
  if (auto_converge_)
    throttle = s.round == 0 ? auto_converge_->throttle()
                            : auto_converge_->on_sync(s.elapsed_s, dirty * s.memory.page_size(),
                                                      s.lan_bytes - last_lan_bytes_);
  last_lan_bytes_ = s.lan_bytes;

  MigrationLimits limits  = s.limits;
  limits.downtime_limit_s = stepped_downtime_limit(options_, s.limits.downtime_limit_s, s.round);
  const MigrationSnapshot stepped{s.memory,  limits,           s.round,           s.elapsed_s, s.lan_bytes,
                                  s.san_bytes, s.san_pending_bytes, s.lan_Bps, s.san_Bps, s.san_guest_Bps};
  RoundPlan plan = inner_->plan_round(stepped);

  SwitchoverDecision& switchover = plan.switchover;
  const bool converged = switchover.kind == Switchover::StopAndCopy && switchover.reason == StopReason::Converged;
  if (options_.postcopy_on_stall && flat_rounds_ >= 2 && !converged && switchover.kind != Switchover::PostCopy) {
    plan.lan.pages    = PageBitmap(s.memory.page_count());  // the rest follows after the switch
    switchover.kind   = Switchover::PostCopy;
    switchover.reason = StopReason::Converged;
  }
  plan.throttle = std::max(plan.throttle, throttle);
  return plan;
}

std::unique_ptr<MigrationPolicy> with_qemu_options(std::unique_ptr<MigrationPolicy> inner, const PolicyParams& params)
{
  const QemuOptions options = QemuOptions::from(params);
  if (!options.any())
    return inner;
  return std::make_unique<QemuOptionsPolicy>(std::move(inner), options);
}

}  // namespace migsim
