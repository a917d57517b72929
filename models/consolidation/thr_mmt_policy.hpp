// thr-mmt: a static CPU-utilisation threshold (THR) as overload detector, with MMT selection, PABFD
// placement and the underload step (power_aware_consolidation.hpp). Beloglazov and Buyya (CCPE
// 24(13), 2012) compare thresholds 0.6-1.0; THR-MMT-0.8 is their benchmark, hence the default. A host
// is overloaded when its utilisation exceeds the threshold (strictly).
#pragma once

#include "models/consolidation/consolidation_policy.hpp"
#include "models/consolidation/placement_state.hpp"

namespace migsim {

class StaticThresholdDetector : public OverloadDetector {
public:
  explicit StaticThresholdDetector(double threshold) : threshold_(threshold) {}
  bool overloaded(const PlacementState& state, int host) const override { return state.utilisation(host) > threshold_; }

private:
  double threshold_;
};

ConsolidationPolicyDeclaration thr_mmt_declaration();

}  // namespace migsim
