// Policies by name: each registers a one-line description, its parameters (with units, defaults and
// bounds, so the scenario loader can validate them) and a factory. Filled by an explicit
// register_builtin_policies() call: self-registering statics get dropped from static libraries.
#pragma once

#include "models/policies/migration_policy.hpp"
#include "models/units.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace migsim {

struct ParamSpec {
  std::string name;
  std::optional<Quantity> unit;  ///< empty: a plain number
  double default_value;
  double min;
  double max;
  std::string description;
};

struct PolicyInfo {
  std::string name;
  std::string description;
  std::vector<ParamSpec> params;
  std::function<std::unique_ptr<MigrationPolicy>(const PolicyParams&)> make;
};

class UnknownPolicy : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

class PolicyRegistry {
public:
  static PolicyRegistry& instance();
  void add(PolicyInfo info);
  /// Throws UnknownPolicy "unknown policy 'x'; valid policies are: a, b, c".
  const PolicyInfo& find(const std::string& name) const;
  const std::vector<PolicyInfo>& all() const { return policies_; }
  std::string names() const;

private:
  std::vector<PolicyInfo> policies_;
};

/// Registers every policy shipped with migsim (idempotent).
void register_builtin_policies();

}  // namespace migsim
