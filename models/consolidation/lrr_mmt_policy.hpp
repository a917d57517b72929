// lrr-mmt: robust local regression (LRR) as overload detector: lr-mmt's prediction (lr_mmt_policy.hpp)
// with the line refitted twice with bisquare weights (robust_statistics.hpp), so that a few spikes in
// the history do not tilt it. Safety parameter 1.2, the study's LRR-MMT-1.2.
#pragma once

#include "models/consolidation/consolidation_policy.hpp"

namespace migsim {

ConsolidationPolicyDeclaration lrr_mmt_declaration();

}  // namespace migsim
