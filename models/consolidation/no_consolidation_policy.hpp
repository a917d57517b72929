// none: no consolidation. The VMs stay where they were placed and every host stays as it is; the
// baseline the consolidation policies are compared against.
#pragma once

#include "models/consolidation/consolidation_policy.hpp"

namespace migsim {

class NoConsolidation : public ConsolidationPolicy {
public:
  ConsolidationDecisions decide(const DataCentreSnapshot&) override { return {}; }
};

inline ConsolidationPolicyDeclaration no_consolidation_declaration()
{
  return {"none", "no consolidation: VMs stay where they are, hosts stay on", {consolidation_period_param()},
          [](const PolicyParams&) { return std::make_unique<NoConsolidation>(); }};
}

}  // namespace migsim
