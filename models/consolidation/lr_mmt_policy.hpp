// lr-mmt: local regression (LR) as overload detector, with MMT selection, PABFD placement and the
// underload step (power_aware_consolidation.hpp); Beloglazov and Buyya (CCPE 24(13), 2012), section
// 5.1. A line is fitted by loess to the host's last `history` utilisation values (one per period,
// x = 1..n, robust_statistics.hpp) and extrapolated to the end of the longest migration of a VM
// running on the host, rounded up to whole periods as CloudSim does: x_n + ceil(T_m / period); the
// host is overloaded when s x that prediction >= 1.
// With fewer than `history` values a static `fallback` threshold decides, as in CloudSim's power
// examples (10 values, 0.7). Safety parameter 1.2, the study's LR-MMT-1.2. The robust variant
// (lrr-mmt) fits with bisquare reweighting.
#pragma once

#include "models/consolidation/consolidation_policy.hpp"
#include "models/consolidation/placement_state.hpp"

#include <cstddef>

namespace migsim {

class LocalRegressionDetector : public OverloadDetector {
public:
  LocalRegressionDetector(bool robust, double safety, size_t history, double fallback, double period_s)
      : robust_(robust), safety_(safety), history_(history), fallback_(fallback), period_s_(period_s)
  {
  }
  bool overloaded(const PlacementState& state, int host) const override;
  /// s x the predicted utilisation of `host`, or a negative value when the history is too short.
  double predicted_utilisation(const PlacementState& state, int host) const;

private:
  bool robust_;
  double safety_;
  size_t history_;
  double fallback_;
  double period_s_;
};

/// The parameters LR and LRR share.
std::vector<ParamSpec> local_regression_params();

ConsolidationPolicyDeclaration lr_mmt_declaration();

}  // namespace migsim
