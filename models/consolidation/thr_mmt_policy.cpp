#include "models/consolidation/thr_mmt_policy.hpp"

#include "models/consolidation/power_aware_consolidation.hpp"

namespace migsim {

ConsolidationPolicyDeclaration thr_mmt_declaration()
{
  std::vector<ParamSpec> params{
      {"threshold", std::nullopt, 0.8, 0, 1, "a host above this CPU utilisation is overloaded"},
      consolidation_period_param()};
  return {"thr-mmt", "static utilisation threshold, minimum-migration-time selection, power-aware best fit",
          params, [params](const PolicyParams& p) {
            return std::make_unique<PowerAwareConsolidation>(
                std::make_unique<StaticThresholdDetector>(param_value(p, params, "threshold")));
          }};
}

}  // namespace migsim
