// Consolidation policies by name: the explicit list of their declarations, in consolidation_registry.cpp
// (self-registering statics get dropped from static libraries). Adding a policy = its file + one line
// there + its section in docs/consolidation.md. Names are apart from the migration policies'
// (models/policies/policy_registry.hpp): a consolidation policy decides which VMs move where, a
// migration policy how one VM moves.
#pragma once

#include "models/consolidation/consolidation_policy.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace migsim {

class UnknownConsolidationPolicy : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

class ConsolidationRegistry {
public:
  static const ConsolidationRegistry& instance();
  /// Throws UnknownConsolidationPolicy "unknown consolidation policy 'x'; valid ones are: a, b".
  const ConsolidationPolicyDeclaration& find(const std::string& name) const;
  const ConsolidationPolicyDeclaration* find_if_any(const std::string& name) const;
  const std::vector<ConsolidationPolicyDeclaration>& all() const { return policies_; }
  std::string names() const;

private:
  ConsolidationRegistry();
  std::vector<ConsolidationPolicyDeclaration> policies_;
};

}  // namespace migsim
