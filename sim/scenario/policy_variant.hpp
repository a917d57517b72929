// A policy variant: a policy with some of its parameters set and a readable label, written wherever a
// policy name goes (`run --policy`, a sweep file's "policies"): "hybrid", "hybrid:precopy_rounds=1",
// "precopy:auto_converge=1,xbzrle=1", or in a sweep file {"policy", "params", "label"}. Parameters are
// checked against the policy's ParamSpec list here, before any run; the label (given, or the canonical
// "name:param=value,..." in declaration order) becomes the `policy` column of every output. A plain
// name has no label, so its outputs are what they were before variants existed.
#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace migsim {

struct Scenario;

/// A variant that does not fit its policy; the message is one line and names the valid choices.
class PolicyVariantError : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

struct PolicyVariant {
  std::string policy;
  std::vector<std::pair<std::string, nlohmann::json>> params;  ///< as written, in declaration order
  std::string label;  ///< empty for a plain policy name

  /// What the outputs call it: the label, else the policy name.
  const std::string& display_name() const { return label.empty() ? policy : label; }
};

/// "name" or "name:param=value,...": values are JSON numbers or scenario unit strings ("30ms").
PolicyVariant parse_policy_variant(const std::string& text);

/// A sweep file's entry: the string form, or {"policy": NAME, "params": {...}, "label": TEXT}.
PolicyVariant policy_variant_from_json(const nlohmann::json& entry);

/// Puts the variant into a scenario document: its policy (the previous policy's parameters and label
/// go), its parameters and its label.
void apply_policy_variant(nlohmann::json& document, const PolicyVariant& variant);

/// Loads a scenario file ("" = built-in default) for one variant: the variant applies first, then
/// the --set overrides, so that `--set /migration/params/NAME=...` reaches the variant's policy.
Scenario load_scenario_variant(const std::string& path, const std::vector<std::string>& overrides,
                               const PolicyVariant& variant);

}  // namespace migsim
