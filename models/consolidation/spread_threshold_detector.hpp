// The adaptive thresholds of IQR and MAD (Beloglazov and Buyya, CCPE 24(13), 2012, section 5.1): the
// upper threshold is 1 - s x spread, the spread (interquartile range or median absolute deviation)
// taken over the host's last `history` utilisation values; a host above it is overloaded. With fewer
// than `min_history` values the spread means little, and a static `fallback` threshold decides, as in
// CloudSim's power examples (12 values, 0.7).
#pragma once

#include "models/consolidation/placement_state.hpp"
#include "models/param_spec.hpp"

#include <cstddef>
#include <functional>
#include <vector>

namespace migsim {

class SpreadThresholdDetector : public OverloadDetector {
public:
  using Spread = std::function<double(const std::vector<double>&)>;
  SpreadThresholdDetector(Spread spread, double safety, size_t history, size_t min_history, double fallback)
      : spread_(std::move(spread)), safety_(safety), history_(history), min_history_(min_history), fallback_(fallback)
  {
  }
  bool overloaded(const PlacementState& state, int host) const override
  {
    const std::vector<double> history = state.utilisation_history(host, history_);
    const double u                    = state.utilisation(host);
    if (history.size() < min_history_ || history.empty())
      return u > fallback_;
    return u > 1 - safety_ * spread_(history);
  }

private:
  Spread spread_;
  double safety_;
  size_t history_;
  size_t min_history_;
  double fallback_;
};

/// The parameters IQR and MAD share, after their safety parameter.
std::vector<ParamSpec> spread_threshold_params(double default_safety);

}  // namespace migsim
