#include "sim/scenario/policy_variant.hpp"

#include "models/policies/policy_registry.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace migsim {

using json = nlohmann::json;

namespace {

std::string param_names(const PolicyDeclaration& policy)
{
  std::string list;
  for (const ParamSpec& spec : policy.params)
    list += (list.empty() ? "" : ", ") + spec.name;
  return list.empty() ? "it takes none" : "its parameters are: " + list;
}

/// A value in SI units, checked against the spec: the same rules as the scenario loader's.
void check_value(const PolicyDeclaration& policy, const ParamSpec& spec, const json& value)
{
  const std::string what = "policy '" + policy.name + "', " + spec.name;
  double v               = 0;
  if (value.is_number())
    v = value.get<double>();
  else if (value.is_string() && spec.unit) {
    try {
      v = parse_quantity(value.get<std::string>(), *spec.unit);
    } catch (const UnitError& e) {
      throw PolicyVariantError(what + ": " + e.what());
    }
  } else
    throw PolicyVariantError(what + ": expected " + (spec.unit ? quantity_example(*spec.unit) : "a number") +
                             ", got " + value.dump());
  if (!std::isfinite(v) || v < spec.min || v > spec.max) {
    std::ostringstream range;
    range << what << ": must be in [" << spec.min << ", " << spec.max << "], got " << value.dump();
    throw PolicyVariantError(range.str());
  }
}

/// Checks names and values, puts the parameters in declaration order and makes the canonical label.
PolicyVariant make_variant(const std::string& name, std::vector<std::pair<std::string, json>> params,
                           const std::string& label)
{
  const PolicyDeclaration* policy = nullptr;
  try {
    policy = &PolicyRegistry::instance().find(name);
  } catch (const UnknownPolicy& e) {
    throw PolicyVariantError(e.what());
  }
  for (size_t i = 0; i < params.size(); ++i) {
    const auto& [key, value] = params[i];
    const std::string& wanted = key;  // C++17 lambdas cannot capture a structured binding (clang refuses)
    const auto spec           = std::find_if(policy->params.begin(), policy->params.end(),
                                             [&](const ParamSpec& s) { return s.name == wanted; });
    if (spec == policy->params.end())
      throw PolicyVariantError("policy '" + name + "' has no parameter \"" + key + "\"; " + param_names(*policy));
    for (size_t j = 0; j < i; ++j)
      if (params[j].first == key)
        throw PolicyVariantError("policy '" + name + "': parameter \"" + key + "\" is given twice");
    check_value(*policy, *spec, value);
  }
  PolicyVariant variant{name, {}, label};
  for (const ParamSpec& spec : policy->params)
    for (const auto& p : params)
      if (p.first == spec.name)
        variant.params.push_back(p);
  if (variant.label.empty() && !variant.params.empty()) {
    variant.label = name + ":";
    for (const auto& [key, value] : variant.params)
      variant.label += (variant.label.back() == ':' ? "" : ",") + key + "=" +
                       (value.is_string() ? value.get<std::string>() : value.dump());
  }
  return variant;
}

}  // namespace

PolicyVariant parse_policy_variant(const std::string& text)
{
  const auto colon = text.find(':');
  if (colon == std::string::npos)
    return make_variant(text, {}, "");
  std::vector<std::pair<std::string, json>> params;
  std::istringstream list(text.substr(colon + 1));
  for (std::string item; std::getline(list, item, ',');) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      throw PolicyVariantError("\"" + text + "\": expected NAME:PARAM=VALUE,PARAM=VALUE, got \"" + item + "\"");
    json value = json::parse(item.substr(eq + 1), nullptr, false);  // 1, 0.05; else a unit string ("30ms")
    if (value.is_discarded() || !value.is_number())
      value = item.substr(eq + 1);
    params.emplace_back(item.substr(0, eq), value);
  }
  if (params.empty())
    throw PolicyVariantError("\"" + text + "\": expected NAME:PARAM=VALUE,PARAM=VALUE after the colon");
  return make_variant(text.substr(0, colon), params, "");
}

PolicyVariant policy_variant_from_json(const json& entry)
{
  if (entry.is_string())
    return parse_policy_variant(entry.get<std::string>());
  if (!entry.is_object() || !entry.contains("policy") || !entry["policy"].is_string())
    throw PolicyVariantError("expected a policy name, \"name:param=value,...\", or {\"policy\": NAME, \"params\": "
                             "{...}, \"label\": TEXT}");
  for (const auto& [key, value] : entry.items())
    if (key != "policy" && key != "params" && key != "label")
      throw PolicyVariantError("unknown key \"" + key + "\"; a policy entry has: policy, params, label");
  std::vector<std::pair<std::string, json>> params;
  if (entry.contains("params")) {
    if (!entry["params"].is_object())
      throw PolicyVariantError("\"params\": expected an object of parameter values");
    for (const auto& [key, value] : entry["params"].items())
      params.emplace_back(key, value);
  }
  const json label = entry.value("label", json(""));
  if (!label.is_string() || (entry.contains("label") && label.get<std::string>().empty()))
    throw PolicyVariantError("\"label\": expected a non-empty string");
  return make_variant(entry["policy"].get<std::string>(), params, label.get<std::string>());
}

void apply_policy_variant(json& document, const PolicyVariant& variant)
{
  json& migration     = document["migration"];
  migration["policy"] = variant.policy;
  migration.erase("params");
  migration.erase("label");
  for (const auto& [key, value] : variant.params)
    migration["params"][key] = value;
  if (!variant.label.empty())
    migration["label"] = variant.label;
}

Scenario load_scenario_variant(const std::string& path, const std::vector<std::string>& overrides,
                               const PolicyVariant& variant)
{
  // The loader applies a policy change before every other --set; the variant's parameters go first
  // among those, so a --set of the same parameter wins.
  std::vector<std::string> ordered;
  for (const auto& [key, value] : variant.params)
    ordered.push_back("/migration/params/" + key + "=" + value.dump());
  ordered.insert(ordered.end(), overrides.begin(), overrides.end());
  Scenario s = load_scenario(path, ordered, variant.policy);
  if (variant.label.empty())
    return s;
  json document                  = s.resolved;  // complete: parsing it again gives the same scenario
  document["migration"]["label"] = variant.label;
  return parse_scenario(document, s.origin);
}

}  // namespace migsim
