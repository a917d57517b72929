// mad-mmt: the median-absolute-deviation adaptive threshold (spread_threshold_detector.hpp) with MMT
// selection, PABFD placement and the underload step (power_aware_consolidation.hpp). Safety
// parameter 2.5, the study's MAD-MMT-2.5.
#pragma once

#include "models/consolidation/consolidation_policy.hpp"

namespace migsim {

ConsolidationPolicyDeclaration mad_mmt_declaration();

}  // namespace migsim
