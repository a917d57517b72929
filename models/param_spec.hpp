// A parameter of a policy or of a model a policy's parameters switch on: name, unit, default, bounds
// and meaning. The scenario loader reads and checks parameters against these specs, `migsim policies`
// lists them, and tests/scenario/scenario_schema_test.cpp checks that docs/policies.md states each one's
// unit and default.
#pragma once

#include "models/units.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace migsim {

struct ParamSpec {
  std::string name;
  std::optional<Quantity> unit;  ///< empty: a plain number (flag, fraction, count)
  double default_value;
  double min;
  double max;
  std::string description;
};

/// Policy parameters by name, already validated against the policy's ParamSpec list (SI units).
using PolicyParams = std::map<std::string, double>;

/// The value of `name` in `params`, else its default in `specs`.
inline double param_value(const PolicyParams& params, const std::vector<ParamSpec>& specs, const std::string& name)
{
  if (auto it = params.find(name); it != params.end())
    return it->second;
  const auto spec = std::find_if(specs.begin(), specs.end(), [&](const ParamSpec& s) { return s.name == name; });
  if (spec == specs.end())
    throw std::logic_error("no parameter spec named " + name);
  return spec->default_value;
}

}  // namespace migsim
