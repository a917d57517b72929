#include "models/consolidation/mad_mmt_policy.hpp"

#include "models/consolidation/power_aware_consolidation.hpp"
#include "models/consolidation/robust_statistics.hpp"
#include "models/consolidation/spread_threshold_detector.hpp"

namespace migsim {

ConsolidationPolicyDeclaration mad_mmt_declaration()
{
  const std::vector<ParamSpec> params = spread_threshold_params(2.5);
  return {"mad-mmt", "median-absolute-deviation adaptive threshold, minimum-migration-time selection, power-aware best fit",
          params, [params](const PolicyParams& p) {
            return std::make_unique<PowerAwareConsolidation>(std::make_unique<SpreadThresholdDetector>(
                [](const std::vector<double>& h) { return median_absolute_deviation(h); },
                param_value(p, params, "safety"), static_cast<size_t>(param_value(p, params, "history")),
                static_cast<size_t>(param_value(p, params, "min_history")),
                param_value(p, params, "fallback_threshold")));
          }};
}

}  // namespace migsim
