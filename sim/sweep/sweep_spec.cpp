#include "sim/sweep/sweep_spec.hpp"

#include "sim/scenario/json_field_reader.hpp"
#include "sim/scenario/json_file.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/units.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <cmath>
#include <filesystem>
#include <limits>
#include <set>

namespace fs = std::filesystem;

namespace migsim {

using ojson = nlohmann::ordered_json;
using nlohmann::json;

namespace {

/// Reads the sweep file's own keys; every failure names the file and the JSON path inside it.
class SweepReader : public JsonNodeReader {
public:
  using JsonNodeReader::JsonNodeReader;

  /// A key naming a scenario setting must be a JSON pointer; the settings of one sweep may not overlap.
  void check_pointer(const std::string& pointer, const std::string& path)
  {
    if (pointer.empty() || pointer[0] != '/')
      fail(path, "\"" + pointer + "\" is not a JSON pointer into the scenario (it starts with '/', e.g. \"/workload/dirty/rate\")");
    try {
      json::json_pointer p(pointer);
    } catch (const json::exception&) {
      fail(path, "\"" + pointer + "\" is not a valid JSON pointer");
    }
    if (pointer == "/seed")
      fail(path, "the seed of each run comes from the replication rule; set \"replications\": {\"base_seed\": ...} instead");
    claim(pointer, path);
  }

  /// Two settings overlap when they are the same or one lies inside the other ("/platform/lan" and
  /// "/platform/lan/bandwidth"): whichever is applied last replaces (part of) the other, and the plan
  /// would record a value that no run uses.
  void claim(const std::string& pointer, const std::string& path)
  {
    const auto inside = [](const std::string& inner, const std::string& outer) {
      return inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 && inner[outer.size()] == '/';
    };
    for (const auto& [other, where] : claimed_) {
      if (other == pointer)
        fail(path, "\"" + pointer + "\" is set or varied twice in this sweep (also at " + where + ")");
      if (inside(pointer, other) || inside(other, pointer))
        fail(path, "\"" + pointer + "\" overlaps \"" + other + "\" (at " + where +
                       "): one lies inside the other, so one would replace the other's value and the plan would "
                       "record a value no run uses; vary the settings inside it one by one");
    }
    claimed_.emplace_back(pointer, path);
  }

  uint64_t unsigned_integer(const ojson& v, const std::string& path, uint64_t min, uint64_t max) const
  {
    if (!v.is_number_integer() || (v.is_number_integer() && !v.is_number_unsigned() && v.get<long long>() < 0))
      fail(path, "expected a non-negative integer, got " + describe_json_type(json(v)));
    const uint64_t x = v.get<uint64_t>();
    if (x < min || x > max)
      fail(path, "must be in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " + v.dump());
    return x;
  }

  /// A number in SI base units, or a quantity string such as "10MBps".
  double si_number(const ojson& v, const std::string& path) const
  {
    if (v.is_number())
      return v.get<double>();
    if (v.is_string())
      for (Quantity kind : {Quantity::Bytes, Quantity::Rate, Quantity::Duration})
        try {
          return parse_quantity(v.get<std::string>(), kind);
        } catch (const UnitError&) {
        }
    fail(path, "expected a number in SI base units or a quantity such as \"10MBps\", got " + describe_json_type(json(v)));
  }

private:
  std::vector<std::pair<std::string, std::string>> claimed_;  // pointer, where the sweep file sets it
};

std::vector<SweptSetting> read_settings(SweepReader& r, const ojson& object, const std::string& key, bool lists)
{
  std::vector<SweptSetting> settings;
  const std::string path = "/" + key;
  r.expect(object, object.is_object(), path, "an object of JSON pointer keys");
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string at = path + "/" + escape_pointer_token(it.key());
    r.check_pointer(it.key(), at);
    SweptSetting s{it.key(), {}, {}};
    if (!lists) {
      s.values.push_back(json(it.value()));
      s.sources.push_back(at);
    } else {
      r.expect(it.value(), it.value().is_array(), at, "an array of values");
      if (it.value().empty())
        r.fail(at, "the list of values is empty");
      for (size_t i = 0; i < it.value().size(); ++i) {
        s.values.push_back(json(it.value()[i]));
        s.sources.push_back(at + "/" + std::to_string(i));
      }
    }
    settings.push_back(std::move(s));
  }
  return settings;
}

void read_random(SweepReader& r, const ojson& node, SweepSpec& spec)
{
  r.expect(node, node.is_object(), "/random", "an object with \"samples\", \"seed\" and \"params\"");
  r.only_keys(node, "/random", {"samples", "seed", "params"});
  if (!node.contains("samples"))
    r.fail("/random/samples", "missing: how many random points to draw");
  spec.random_samples = r.unsigned_integer(node["samples"], "/random/samples", 1, 10'000'000);
  if (node.contains("seed"))
    spec.random_seed = r.unsigned_integer(node["seed"], "/random/seed", 0, std::numeric_limits<int64_t>::max());
  if (!node.contains("params"))
    r.fail("/random/params", "missing: the settings to draw, {\"/json/pointer\": {\"min\": ..., \"max\": ...}}");
  const ojson& params = node["params"];
  r.expect(params, params.is_object() && !params.empty(), "/random/params", "a non-empty object of JSON pointer keys");
  for (auto it = params.begin(); it != params.end(); ++it) {
    const std::string at = "/random/params/" + escape_pointer_token(it.key());
    r.check_pointer(it.key(), at);
    const ojson& p = it.value();
    r.expect(p, p.is_object(), at, "an object {\"min\": ..., \"max\": ..., \"log\": false, \"integer\": false}");
    r.only_keys(p, at, {"min", "max", "log", "integer"});
    RandomRange range;
    range.pointer = it.key();
    range.source  = at;
    for (const char* bound : {"min", "max"})
      if (!p.contains(bound))
        r.fail(at + "/" + bound, "missing");
    range.min_given = json(p["min"]);
    range.max_given = json(p["max"]);
    range.min = r.si_number(p["min"], at + "/min");
    range.max = r.si_number(p["max"], at + "/max");
    for (const char* flag : {"log", "integer"})
      if (p.contains(flag))
        r.expect(p[flag], p[flag].is_boolean(), at + "/" + flag, "true or false");
    range.log     = p.value("log", false);
    range.integer = p.value("integer", false);
    if (!(std::isfinite(range.min) && std::isfinite(range.max) && range.min <= range.max))
      r.fail(at, "needs finite min <= max");
    if (range.log && !(range.min > 0))
      r.fail(at + "/min", "a log-uniform range needs min > 0");
    if (range.integer && !(std::fabs(range.min) <= 9007199254740992.0 && std::fabs(range.max) <= 9007199254740992.0))
      r.fail(at, "an integer range must lie within [-2^53, 2^53] (9007199254740992), where every integer is exact");
    spec.random.push_back(range);
  }
}

void read_policies(SweepReader& r, const ojson& node, SweepSpec& spec)
{
  spec.policies_source = "/policies";
  const auto& registry = PolicyRegistry::instance();
  if (node.is_string() && node.get<std::string>() == "all") {
    for (const auto& p : registry.all())
      spec.policies.push_back({p.name, {}, ""});
    return;
  }
  r.expect(node, node.is_array() && !node.empty(), "/policies",
           "a non-empty array of policies (names, \"name:param=value,...\" or {\"policy\", \"params\", \"label\"}), or \"all\"");
  std::set<std::string> seen;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string at = "/policies/" + std::to_string(i);
    r.expect(node[i], node[i].is_string() || node[i].is_object(), at,
             "a policy name, \"name:param=value,...\" or {\"policy\", \"params\", \"label\"}");
    PolicyVariant variant;
    try {
      variant = policy_variant_from_json(nlohmann::json::parse(node[i].dump()));
    } catch (const PolicyVariantError& e) {
      r.fail(at, e.what());
    }
    if (!seen.insert(variant.display_name()).second)
      r.fail(at, "policy \"" + variant.display_name() + "\" is listed twice");
    spec.policies.push_back(variant);
  }
}

void read_replications(SweepReader& r, const ojson& node, SweepSpec& spec)
{
  if (node.is_number()) {
    spec.replications = r.unsigned_integer(node, "/replications", 1, 10'000'000);
    return;
  }
  r.expect(node, node.is_object(), "/replications", "a count or {\"count\": N, \"base_seed\": S, \"seed_rule\": ...}");
  r.only_keys(node, "/replications", {"count", "base_seed", "seed_rule"});
  if (node.contains("count"))
    spec.replications = r.unsigned_integer(node["count"], "/replications/count", 1, 10'000'000);
  if (node.contains("base_seed"))
    spec.base_seed =
        r.unsigned_integer(node["base_seed"], "/replications/base_seed", 0, std::numeric_limits<int64_t>::max() / 2);
  if (node.contains("seed_rule")) {
    const ojson& rule = node["seed_rule"];
    if (rule == "splitmix64")
      spec.seed_rule = SeedRule::SplitMix64;
    else if (rule == "sequential")
      spec.seed_rule = SeedRule::Sequential;
    else
      r.fail("/replications/seed_rule",
             "expected \"splitmix64\" or \"sequential\", got " + describe_json_type(json(rule)));
  }
}

}  // namespace

SweepSpec parse_sweep_spec(const ojson& document, const std::string& file)
{
  SweepReader r(file);
  SweepSpec spec;
  spec.file     = file;
  spec.document = document;
  r.expect(document, document.is_object(), "", "a JSON object at the top level");
  r.only_keys(document, "",
              {"name", "description", "base", "set", "grid", "zip", "random", "policies", "replications"});

  spec.name = fs::path(file).stem().string();
  if (document.contains("name")) {
    r.expect(document["name"], document["name"].is_string() && !document["name"].get<std::string>().empty(),
             "/name", "a non-empty string");
    spec.name = document["name"].get<std::string>();
  }
  if (document.contains("description"))
    r.expect(document["description"], document["description"].is_string(), "/description", "a string");

  // The base: a file relative to the sweep file, an inline scenario, or the built-in default.
  const std::string sweep_dir = fs::path(file).parent_path().string();
  if (!document.contains("base")) {
    spec.base        = default_scenario_json();
    spec.base_origin = "built-in default";
  } else if (document["base"].is_string()) {
    const fs::path given(document["base"].get<std::string>());
    spec.base_origin = (given.is_absolute() || sweep_dir.empty() ? given : fs::path(sweep_dir) / given).string();
    try {
      spec.base = read_json_file(spec.base_origin);
    } catch (const ScenarioError& e) {
      r.fail("/base", e.what());
    }
  } else if (document["base"].is_object()) {
    spec.base        = json::parse(document["base"].dump());
    spec.base_origin = file;
  } else {
    r.fail("/base", "expected a scenario file name or an inline scenario object, got " +
                        describe_json_type(json(document["base"])));
  }

  if (document.contains("policies")) {
    read_policies(r, document["policies"], spec);
    // The policy column names each variant by its policy, parameters and label: a setting of the
    // sweep that changed one of them would run something other than what the column says.
    r.check_pointer("/migration/policy", "/policies");
    r.check_pointer("/migration/label", "/policies");
    std::set<std::string> params;
    for (size_t i = 0; i < spec.policies.size(); ++i)
      for (const auto& [name, value] : spec.policies[i].params)
        if (params.insert(name).second)
          r.check_pointer("/migration/params/" + escape_pointer_token(name), "/policies/" + std::to_string(i));
  }
  if (document.contains("set"))
    spec.fixed = read_settings(r, document["set"], "set", false);
  if (document.contains("grid"))
    spec.grid = read_settings(r, document["grid"], "grid", true);
  if (document.contains("zip")) {
    spec.zip = read_settings(r, document["zip"], "zip", true);
    for (const auto& s : spec.zip)
      if (s.values.size() != spec.zip.front().values.size())
        r.fail("/zip/" + escape_pointer_token(s.pointer),
               "zip lists vary in lock-step and must have the same length: " + std::to_string(s.values.size()) +
                   " values here, " + std::to_string(spec.zip.front().values.size()) + " for \"" +
                   spec.zip.front().pointer + "\"");
  }
  if (document.contains("random"))
    read_random(r, document["random"], spec);
  if (document.contains("replications"))
    read_replications(r, document["replications"], spec);
  return spec;
}

SweepSpec load_sweep_spec(const std::string& path)
{
  return parse_sweep_spec(read_ordered_json_file(path), path);
}

}  // namespace migsim
