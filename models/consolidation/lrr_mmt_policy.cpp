#include "models/consolidation/lrr_mmt_policy.hpp"

#include "models/consolidation/lr_mmt_policy.hpp"
#include "models/consolidation/power_aware_consolidation.hpp"

namespace migsim {

ConsolidationPolicyDeclaration lrr_mmt_declaration()
{
  const std::vector<ParamSpec> params = local_regression_params();
  return {"lrr-mmt", "robust local-regression overload prediction, minimum-migration-time selection, power-aware best fit",
          params, [params](const PolicyParams& p) {
            return std::make_unique<PowerAwareConsolidation>(std::make_unique<LocalRegressionDetector>(
                true, param_value(p, params, "safety"), static_cast<size_t>(param_value(p, params, "history")),
                param_value(p, params, "fallback_threshold"), param_value(p, params, "period")));
          }};
}

}  // namespace migsim
