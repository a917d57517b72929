// docs/scenario.schema.json kept in step with the scenario loader: the keys the schema lists are exactly
// the keys the loader accepts, as seen in the resolved scenarios (every default filled in) of the
// built-in default, of an empty file, of a few variants that switch on optional parts, and of every
// scenario under scenarios/. Policy parameters (/migration/params, /consolidation/params) differ per policy and are only an
// object in the schema; the policy names are an enum checked against the registry. Each policy's
// parameters are checked against docs/policies.md instead: every one has a row in its policy's
// section, with the unit and default the policy declares; QEMU's options, declared once and listed by
// every policy that pre-copies, are documented once, in precopy's section.
#include "models/policies/policy_registry.hpp"
#include "models/policies/qemu_options_policy.hpp"
#include "models/units.hpp"
#include "sim/scenario/json_file.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace migsim;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string source_dir = MIGSIM_SOURCE_DIR;

const json& schema()
{
  static const json s = read_json_file(source_dir + "/docs/scenario.schema.json");
  return s;
}

/// The schema node itself, or the one its "$ref" ("#/$defs/...") points to.
const json& resolve(const json& node)
{
  if (node.contains("$ref"))
    return schema().at(json::json_pointer(node["$ref"].get<std::string>().substr(1)));
  return node;
}

struct SchemaPaths {
  std::set<std::string> keys;            ///< "/vm/memory", "/workload/dirty/phases/*/at", ...
  std::set<std::string> open_objects;    ///< objects with properties but without additionalProperties: false
};

/// Every key the schema describes, array elements as "*".
void walk_schema(const json& node, const std::string& at, SchemaPaths& out)
{
  const json& n = resolve(node);
  if (n.contains("properties")) {
    if (n.value("additionalProperties", json(true)) != json(false))
      out.open_objects.insert(at.empty() ? "/" : at);
    for (const auto& [key, child] : n["properties"].items()) {
      out.keys.insert(at + "/" + key);
      walk_schema(child, at + "/" + key, out);
    }
  }
  if (n.contains("items"))
    walk_schema(n["items"], at + "/*", out);
}

/// Every key of a resolved scenario, array elements as "*"; a policy's parameters are not descended into.
void walk_resolved(const json& node, const std::string& at, std::set<std::string>& out)
{
  if (node.is_object()) {
    for (const auto& [key, child] : node.items()) {
      out.insert(at + "/" + key);
      if (at + "/" + key != "/migration/params" && at + "/" + key != "/consolidation/params")
        walk_resolved(child, at + "/" + key, out);
    }
  } else if (node.is_array()) {
    for (const auto& child : node)
      walk_resolved(child, at + "/*", out);
  }
}

/// The scenario files under scenarios/: every *.json but sweep files (scenarios/sweeps/), the
/// validation suite's sidecar files (*.validation.json) and the testbed's records of real migrations
/// (scenarios/validation/qemu/records/, docs/testbed.md).
std::vector<std::string> scenario_files()
{
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(source_dir + "/scenarios")) {
    const std::string path = entry.path().string();
    if (entry.is_regular_file() && entry.path().extension() == ".json" && path.find("/scenarios/sweeps/") == std::string::npos &&
        path.find(".validation.json") == std::string::npos &&
        path.find("/qemu/records/") == std::string::npos)
      files.push_back(path);
  }
  return files;
}

/// The keys the loader accepts, from the resolved scenarios of documents that between them switch on
/// every optional part.
std::set<std::string> loader_keys()
{
  const std::string platform = source_dir + "/scenarios/platforms/small_platform_fafard_tremblay.xml";
  std::vector<Scenario> scenarios = {
      parse_scenario(json::object(), "empty"),
      parse_scenario(default_scenario_json(), "built-in default"),
      parse_scenario({{"platform",
                       {{"file", platform}, {"source_host", "Fafard"}, {"destination_host", "Tremblay"}, {"storage_host", ""}}}},
                     "platform file"),
      parse_scenario({{"workload", {{"dirty", {{"phases", {{{"at", "10s"}, {"rate", "1MBps"}}}}}}}}}, "phases"),
      parse_scenario({{"vms", {{{"name", "a"}}}}}, "evacuation"),
      parse_scenario({{"migration", {{"label", "a variant"}}}}, "policy variant"),
  };
  for (const auto& file : scenario_files())
    scenarios.push_back(load_scenario(file));
  // A consolidation with its own VM types, on hosts with their own power curve.
  json consolidation = read_json_file(source_dir + "/tests/scenario/consolidation_small.json");
  consolidation["consolidation"]["traces"] = source_dir + "/tests/trace/samples/planetlab";
  consolidation["consolidation"]["vm_types"] = {{{"name", "small"}, {"mips", 500}, {"memory", "256MiB"}}};
  consolidation["datacentre"]["racks"][0]["host"] = {{"power_curve", {80, 85, 90, 95, 100, 105, 110, 115, 120, 125, 130}}};
  scenarios.push_back(parse_scenario(consolidation, "consolidation"));
  std::set<std::string> keys;
  for (const auto& s : scenarios)
    walk_resolved(s.resolved, "", keys);
  return keys;
}

}  // namespace

TEST_CASE("the schema lists every key the loader accepts")
{
  SchemaPaths s;
  walk_schema(schema(), "", s);
  for (const auto& key : loader_keys()) {
    INFO("the loader accepts " << key << " but docs/scenario.schema.json does not list it");
    CHECK(s.keys.count(key) == 1);
  }
}

TEST_CASE("the schema lists no key the loader does not accept")
{
  SchemaPaths s;
  walk_schema(schema(), "", s);
  std::set<std::string> accepted = loader_keys();
  accepted.insert("/vms/*/name");
  const std::set<std::string> vm_keys = {"/vms/*/name", "/vms/*/host", "/vms/*/cpu"};  // a VM's own
  for (const auto& key : s.keys) {
    // A VM's vm, workload and migration are the scenario's own (checked below): /vms/*/vm/memory is
    // accepted where /vm/memory is.
    const std::string vm_part = "/vms/*/";
    if (key.rfind(vm_part, 0) == 0 && !vm_keys.count(key)) {
      CHECK(accepted.count("/" + key.substr(vm_part.size())) == 1);
      continue;
    }
    INFO("docs/scenario.schema.json lists " << key
                                            << ", which no scenario loaded here has: remove it from the schema, or "
                                               "use it in a scenario under scenarios/ (or in a variant of this test)");
    CHECK(accepted.count(key) == 1);
  }
}

TEST_CASE("every object of the schema refuses unknown keys, as the loader does")
{
  SchemaPaths s;
  walk_schema(schema(), "", s);
  for (const auto& object : s.open_objects) {
    INFO(object << " lacks \"additionalProperties\": false");
    CHECK(false);
  }
}

TEST_CASE("each VM of /vms has the same vm, workload and migration definitions as the scenario")
{
  const json& vm = schema()["properties"]["vms"]["items"]["properties"];
  for (const char* part : {"vm", "workload", "migration"}) {
    CAPTURE(part);
    CHECK(vm[part] == schema()["properties"][part]);
  }
}

TEST_CASE("the schema's policy names are the registered policies")
{
  std::set<std::string> registered;
  for (const auto& p : PolicyRegistry::instance().all())
    registered.insert(p.name);
  const json& names = schema()["$defs"]["migration"]["properties"]["policy"]["enum"];
  CHECK(names.get<std::set<std::string>>() == registered);
}

namespace {

/// The cells of the row of parameter `name` in the "## `policy`" section of docs/policies.md; empty if none.
std::vector<std::string> policy_doc_row(const std::string& policy, const std::string& name)
{
  std::ifstream in(source_dir + "/docs/policies.md");
  std::string line;
  bool in_section = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0)
      in_section = line == "## " + policy;
    else if (in_section && line.rfind("| `" + name + "` |", 0) == 0) {
      std::vector<std::string> cells;
      std::istringstream row(line.substr(1));
      for (std::string cell; std::getline(row, cell, '|');)
        cells.push_back(cell.substr(1, cell.size() - 2));  // " cell " -> "cell"
      return cells;
    }
  }
  return {};
}

/// "8 B", "2 µs", "0 (off)", "0.20" -> the number in SI units.
double documented_default(std::string text, const std::optional<Quantity>& unit)
{
  text = text.substr(0, text.find(" ("));
  text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
  if (const size_t micro = text.find("µ"); micro != std::string::npos)
    text.replace(micro, std::string("µ").size(), "u");
  return unit ? parse_quantity(text, *unit) : std::stod(text);
}

}  // namespace

TEST_CASE("docs/policies.md states every parameter of every policy with its declared unit and default")
{
  for (const auto& policy : PolicyRegistry::instance().all())
    for (const ParamSpec& spec : policy.params) {
      CAPTURE(policy.name);
      CAPTURE(spec.name);
      const std::vector<ParamSpec> qemu = qemu_option_specs();
      const bool shared = std::any_of(qemu.begin(), qemu.end(), [&](const ParamSpec& q) { return q.name == spec.name; });
      const std::vector<std::string> row = policy_doc_row(shared ? "precopy" : policy.name, spec.name);
      REQUIRE(row.size() >= 3);  // | name | unit | default | ...
      const std::string unit = row[1].substr(0, row[1].find(' '));
      if (!spec.unit)
        CHECK((unit == "flag" || unit == "fraction" || unit == "number"));
      else
        CHECK(unit == (*spec.unit == Quantity::Bytes ? "size" : *spec.unit == Quantity::Rate ? "rate" : "duration"));
      CHECK(documented_default(row[2], spec.unit) == doctest::Approx(spec.default_value));
    }
}

TEST_CASE("every unit the schema allows is one the loader reads")
{
  for (const auto& [def, kind] : {std::pair{"size", Quantity::Bytes}, {"rate", Quantity::Rate}, {"duration", Quantity::Duration}}) {
    const std::string pattern = schema()["$defs"][def]["anyOf"][1]["pattern"];
    const size_t open         = pattern.rfind('(');
    const std::string units   = pattern.substr(open + 1, pattern.rfind(')') - open - 1);  // "TiB|GiB|...|B"
    for (size_t start = 0; start <= units.size();) {
      const size_t bar        = std::min(units.find('|', start), units.size());
      const std::string value = "2" + units.substr(start, bar - start);
      CAPTURE(value);
      CHECK_NOTHROW(parse_quantity(value, kind));
      start = bar + 1;
    }
  }
}
