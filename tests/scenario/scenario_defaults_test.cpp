// docs/scenario.md's "loader default" column says what the loader does: for every row whose default is
// a JSON value in backticks, the loader resolves an empty scenario `{}` to exactly that value.
#include "sim/scenario/scenario_loader.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <string>

namespace {

using nlohmann::json;

const std::string source_dir = MIGSIM_SOURCE_DIR;

}  // namespace

TEST_CASE("every default in docs/scenario.md is the loader's default")
{
  // The keys of a platform file are read only with one, those of an evacuation only with /vms.
  const json resolved      = migsim::parse_scenario(json::object(), "{}").resolved;
  const json with_platform = migsim::parse_scenario(
      {{"platform",
        {{"file", source_dir + "/scenarios/platforms/small_platform_fafard_tremblay.xml"},
         {"source_host", "Fafard"},
         {"destination_host", "Tremblay"}}}},
      "{}")
                                 .resolved;
  const json evacuation = migsim::parse_scenario({{"vms", json::array({json::object()})}}, "{}").resolved;
  // A data centre's keys, list entries as index 0 (the docs write i), with one storage array or none.
  const json datacentre_doc = json::parse(R"({"datacentre": {"racks": [{}]}, "vms": [{"host": "rack0-host0"}],
                                               "plan": {"migrations": [{"vm": "vm1", "to": "rack0-host1"}]}})");
  const json datacentre = migsim::parse_scenario(datacentre_doc, "{}").resolved;
  json with_arrays_doc  = datacentre_doc;
  with_arrays_doc["datacentre"]["storage"] = json::parse(R"([{"racks": [0]}])");
  const json with_arrays = migsim::parse_scenario(with_arrays_doc, "{}").resolved;
  // A consolidation's keys, with VM types of its own (list entries as index 0).
  json consolidation_doc = json::parse(R"({"datacentre": {"racks": [{"hosts": 4}]},
                                            "consolidation": {"vm_types": [{}]}})");
  consolidation_doc["consolidation"]["traces"] = source_dir + "/tests/trace/samples/planetlab";
  const json consolidation = migsim::parse_scenario(consolidation_doc, "{}").resolved;
  std::ifstream doc(source_dir + "/docs/scenario.md");
  REQUIRE(doc);
  // | `/json/path` | type | `default` ... |
  const std::regex row(R"(^\| `(/[A-Za-z_/]+)` \| [^|]* \| `([^`]*)`)");
  std::string line;
  int rows = 0;
  while (std::getline(doc, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, row))
      continue;
    const std::string path = m[1], written = m[2];
    const json documented  = json::parse(written, nullptr, false);
    INFO(path << " is documented with default " << written);
    CHECK_FALSE(documented.is_discarded());
    const json::json_pointer at(std::regex_replace(path, std::regex("/i/"), "/0/"));
    const json* loader = &evacuation;
    for (const json* candidate : {&resolved, &with_platform, &datacentre, &with_arrays, &consolidation})
      if (candidate->contains(at)) {
        loader = candidate;
        break;
      }
    const json& loader_ref = *loader;
    CHECK(loader_ref.contains(at));
    if (loader_ref.contains(at))
      CHECK(loader_ref[at] == documented);
    ++rows;
  }
  CHECK(rows >= 35);
}
