#include "models/consolidation/lr_mmt_policy.hpp"

#include "models/consolidation/power_aware_consolidation.hpp"
#include "models/consolidation/robust_statistics.hpp"

#include <algorithm>
#include <cmath>

namespace migsim {

double LocalRegressionDetector::predicted_utilisation(const PlacementState& state, int host) const
{
  const std::vector<double> history = state.utilisation_history(host, history_);
  if (history.size() < std::max<size_t>(history_, 3))
    return -1;
  double longest_migration_s = 0;
  for (int v : state.vms_on(host))
    if (state.vm(v).host == host)
      longest_migration_s = std::max(longest_migration_s, state.migration_time_s(v, host));
  const LineFit fit = robust_ ? robust_local_regression(history) : local_regression(history);
  const double periods_ahead = std::ceil(longest_migration_s / period_s_);
  return safety_ * fit.at(static_cast<double>(history.size()) + periods_ahead);
}

bool LocalRegressionDetector::overloaded(const PlacementState& state, int host) const
{
  const double predicted = predicted_utilisation(state, host);
  if (predicted < 0)
    return state.utilisation(host) > fallback_;
  return predicted >= 1;
}

std::vector<ParamSpec> local_regression_params()
{
  return {{"safety", std::nullopt, 1.2, 0, 10, "s in s x predicted utilisation >= 1"},
          {"history", std::nullopt, 10, 3, 10000, "utilisation values (periods) the line is fitted to"},
          {"fallback_threshold", std::nullopt, 0.7, 0, 1, "static threshold while the history is short"},
          consolidation_period_param()};
}

ConsolidationPolicyDeclaration lr_mmt_declaration()
{
  const std::vector<ParamSpec> params = local_regression_params();
  return {"lr-mmt", "local-regression overload prediction, minimum-migration-time selection, power-aware best fit",
          params, [params](const PolicyParams& p) {
            return std::make_unique<PowerAwareConsolidation>(std::make_unique<LocalRegressionDetector>(
                false, param_value(p, params, "safety"), static_cast<size_t>(param_value(p, params, "history")),
                param_value(p, params, "fallback_threshold"), param_value(p, params, "period")));
          }};
}

}  // namespace migsim
