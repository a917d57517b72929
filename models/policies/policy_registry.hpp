// Policies by name. The registry is the list of the policies' own declarations (name, one-line
// description, parameters with units, defaults and bounds, factory; see PolicyDeclaration), written
// out in policy_registry.cpp: an explicit list, since self-registering statics get dropped from
// static libraries. Adding a policy = its file + one line there (docs/policies.md, "How to add a policy").
#pragma once

#include "models/policies/migration_policy.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace migsim {

class UnknownPolicy : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

class PolicyRegistry {
public:
  static const PolicyRegistry& instance();
  /// Throws UnknownPolicy "unknown policy 'x'; valid policies are: a, b, c".
  const PolicyDeclaration& find(const std::string& name) const;
  const std::vector<PolicyDeclaration>& all() const { return policies_; }
  std::string names() const;

private:
  PolicyRegistry();
  std::vector<PolicyDeclaration> policies_;
};

}  // namespace migsim
