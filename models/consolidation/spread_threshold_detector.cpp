#include "models/consolidation/spread_threshold_detector.hpp"

#include "models/consolidation/consolidation_policy.hpp"

namespace migsim {

std::vector<ParamSpec> spread_threshold_params(double default_safety)
{
  return {{"safety", std::nullopt, default_safety, 0, 10, "s in the upper threshold 1 - s x spread"},
          {"history", std::nullopt, 30, 3, 10000, "utilisation values (periods) the spread is taken over"},
          {"min_history", std::nullopt, 12, 3, 10000, "fewer values than this: the fallback threshold decides"},
          {"fallback_threshold", std::nullopt, 0.7, 0, 1, "static threshold while the history is short"},
          consolidation_period_param()};
}

}  // namespace migsim
