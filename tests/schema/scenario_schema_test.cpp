// docs/scenario.schema.json kept in step with the scenario loader: the keys the schema lists are exactly
// the keys the loader accepts, as seen in the resolved scenarios (every default filled in) of the
// built-in default, of an empty file, of a few variants that switch on optional parts, and of every
// scenario under scenarios/. Policy parameters (/migration/params) differ per policy and are only an
// object in the schema; the policy names are an enum checked against the registry.
#include "models/policy_registry.hpp"
#include "models/units.hpp"
#include "sim/json_file.hpp"
#include "sim/scenario_loader.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <set>
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
      if (at + "/" + key != "/migration/params")
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
  };
  for (const auto& file : scenario_files())
    scenarios.push_back(load_scenario(file));
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
  for (const auto& key : s.keys) {
    // A VM's vm, workload and migration are the scenario's own (checked below): /vms/*/vm/memory is
    // accepted where /vm/memory is.
    const std::string vm_part = "/vms/*/";
    if (key.rfind(vm_part, 0) == 0 && key != "/vms/*/name") {
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
  register_builtin_policies();
  std::set<std::string> registered;
  for (const auto& p : PolicyRegistry::instance().all())
    registered.insert(p.name);
  const json& names = schema()["$defs"]["migration"]["properties"]["policy"]["enum"];
  CHECK(names.get<std::set<std::string>>() == registered);
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
