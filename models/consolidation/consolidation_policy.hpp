// The contract of a consolidation policy: once per period it sees a read-only DataCentreSnapshot and
// returns ConsolidationDecisions; it never changes the data centre itself. A policy declares itself
// (name, description, parameters with units, defaults and bounds, factory) next to its code;
// consolidation_registry.cpp lists the declarations. Every policy has the parameter `period`: how
// often the caller asks it to decide.
#pragma once

#include "models/consolidation/datacentre_snapshot.hpp"
#include "models/param_spec.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace migsim {

class ConsolidationPolicy {
public:
  virtual ~ConsolidationPolicy()                                     = default;
  virtual ConsolidationDecisions decide(const DataCentreSnapshot& s) = 0;
};

struct ConsolidationPolicyDeclaration {
  std::string name;
  std::string description;  ///< one line, shown by `migsim policies`
  std::vector<ParamSpec> params;
  std::function<std::unique_ptr<ConsolidationPolicy>(const PolicyParams&)> make;
};

/// The decision period every policy declares: CloudSim's and the study's 5 minutes.
inline ParamSpec consolidation_period_param()
{
  return {"period", Quantity::Duration, 300, 1, 86400, "time between two consolidation decisions"};
}

}  // namespace migsim
