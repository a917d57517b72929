// iqr-mmt: the interquartile-range adaptive threshold (spread_threshold_detector.hpp) with MMT
// selection, PABFD placement and the underload step (power_aware_consolidation.hpp). Safety
// parameter 1.5, the study's IQR-MMT-1.5.
#pragma once

#include "models/consolidation/consolidation_policy.hpp"

namespace migsim {

ConsolidationPolicyDeclaration iqr_mmt_declaration();

}  // namespace migsim
