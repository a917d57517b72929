// The consolidation algorithm of Beloglazov and Buyya (CCPE 24(13), 2012), section 5, around an
// overload detector (THR, IQR, MAD, LR, LRR: one policy each):
//  1. Overload: every running host the detector calls overloaded gives up VMs chosen by minimum
//     migration time (MMT), one at a time, until the detector no longer calls it overloaded (or no
//     VM can move). Those VMs are placed by PABFD on the hosts not overloaded; a switched-off host may
//     be switched on for them. A VM that fits nowhere stays where it is.
//  2. Underload: the running hosts not overloaded, not a destination of step 1 and without a
//     migration in flight are taken in increasing order of utilisation (ties by index). Each, in turn,
//     is emptied if PABFD can place all its VMs on running hosts that are not overloaded, not emptied
//     already and not the host itself; it is then switched off once they have left, and the hosts that
//     took its VMs are not emptied this period. A host whose VMs do not all fit keeps them all. A
//     running host without VMs is switched off.
// Every decision comes from the snapshot of this period; nothing is remembered between periods.
#pragma once

#include "models/consolidation/consolidation_policy.hpp"
#include "models/consolidation/placement_state.hpp"

#include <memory>

namespace migsim {

class PowerAwareConsolidation : public ConsolidationPolicy {
public:
  explicit PowerAwareConsolidation(std::unique_ptr<OverloadDetector> detector) : detector_(std::move(detector)) {}
  ConsolidationDecisions decide(const DataCentreSnapshot& s) override;

private:
  std::unique_ptr<OverloadDetector> detector_;
};

}  // namespace migsim
