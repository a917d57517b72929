// A data centre's scenario (docs/datacentre.md): what the loader builds from /datacentre, and the plans
// it refuses before anything is simulated, each with the file and the JSON path of the culprit.
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace migsim;
using nlohmann::json;

namespace {

json shared_uplink()
{
  std::ifstream in(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/examples/datacentre_shared_uplink.json");
  return json::parse(in);
}

std::string error_of(const json& doc)
{
  try {
    parse_scenario(doc, "dc.json");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

json with(json doc, const std::string& pointer, const json& value)
{
  doc[json::json_pointer(pointer)] = value;
  return doc;
}

}  // namespace

TEST_CASE("a data centre's racks, hosts, spine and storage come from /datacentre")
{
  json doc = shared_uplink();
  doc["datacentre"]["racks"].push_back({{"count", 1}, {"hosts", 3}, {"uplink", "40Gbps"}});
  doc["datacentre"]["storage"] = json::parse(R"([{"name": "a", "racks": [0, 1]}, {"name": "b", "racks": [2], "bandwidth": "2GBps"}])");
  const Scenario s        = parse_scenario(doc, "dc.json");
  const DatacentreSpec& d = *s.datacentre;
  CHECK(d.rack_count() == 3);
  REQUIRE(d.hosts.size() == 7);
  CHECK(d.hosts[6].name == "rack2-host2");
  CHECK(d.hosts[6].type->cores == 16);  // the default
  CHECK(d.spine_Bps == doctest::Approx(2 * 1.25e9 + 5e9));  // the sum of the uplinks, oversubscription 1
  CHECK(d.rack_array == std::vector<int>{0, 0, 1});
  CHECK(d.arrays[1].bandwidth_Bps == 2e9);
  CHECK(s.vms[1].host == 1);
  CHECK(s.vms[1].cpu_cores == 4);
  CHECK(s.plan.migrations.size() == 2);
  CHECK(s.plan.max_running == PlanSpec::unlimited);
  CHECK(s.resolved["/vms/0/cpu"_json_pointer] == 4);
  CHECK(s.resolved["/plan/limits/per_source"_json_pointer] == 0);  // 0: no limit
}

TEST_CASE("a plan that cannot run is refused with its path")
{
  const json doc = shared_uplink();
  CHECK(error_of(with(doc, "/plan/migrations/1/vm", "nobody")) == "dc.json: /plan/migrations/1/vm: no VM named \"nobody\" in /vms");
  CHECK(error_of(with(doc, "/plan/migrations/0/to", "rack7-host0")).rfind("dc.json: /plan/migrations/0/to: no host \"rack7-host0\"", 0) == 0);
  CHECK(error_of(with(doc, "/plan/migrations/0/to", "rack0-host0")) ==
        "dc.json: /plan/migrations/0/to: VM \"a\" is already on host \"rack0-host0\"");
  CHECK(error_of(with(doc, "/plan/migrations/1/vm", "a")).find("/plan/migrations/1/vm: VM \"a\" already migrates") != std::string::npos);
  CHECK(error_of(with(doc, "/plan/migrations/0/after", {"c"})) ==
        "dc.json: /plan/migrations/0/after/0: no migration of a VM named \"c\" in /plan/migrations");
  json cycle = with(doc, "/plan/migrations/0/after", {"b"});
  cycle["plan"]["migrations"][1]["after"] = {"a"};
  CHECK(error_of(cycle) == "dc.json: /plan/migrations/1/after: a cycle: a after b after a; it would never start");
  CHECK(error_of(with(doc, "/plan/migrations/0/after", {"a"})).find("a cycle: a after a") != std::string::npos);
  CHECK(error_of(with(doc, "/vms/0/host", "rack0-host9")).rfind("dc.json: /vms/0/host: no host", 0) == 0);
  CHECK(error_of(with(doc, "/plan/migrations", json::array())) ==
        "dc.json: /plan/migrations: expected a non-empty list of migrations {\"vm\", \"to\"}");
  json no_vm = doc;
  no_vm["plan"]["migrations"][0].erase("vm");
  CHECK(error_of(no_vm).find("/plan/migrations/0: a migration needs \"vm\"") != std::string::npos);
}

TEST_CASE("a host without room for its VMs is refused, at the start and after the plan")
{
  json small = with(shared_uplink(), "/datacentre/racks/0/host/memory", "6GiB");
  CHECK(error_of(with(small, "/vms/1/host", "rack0-host0")).rfind("dc.json: /vms/1/host: host \"rack0-host0\" has no room", 0) == 0);
  CHECK(error_of(with(small, "/plan/migrations/1/to", "rack1-host0"))
            .rfind("dc.json: /plan/migrations/1/to: host \"rack1-host0\" has no room", 0) == 0);
  CHECK(error_of(small) == "");
}

TEST_CASE("keys a data centre does not use are refused, and a VM's own migration start everywhere")
{
  const json doc = shared_uplink();
  CHECK(error_of(with(doc, "/platform/lan/bandwidth", "1Gbps")).rfind("dc.json: /platform/lan: not used with /datacentre", 0) == 0);
  CHECK(error_of(with(doc, "/evacuation/mode", "parallel")).rfind("dc.json: /evacuation: not used with /datacentre", 0) == 0);
  CHECK(error_of(with(doc, "/vms/0/migration/start", "5s")) ==
        "dc.json: /vms/0/migration/start: a VM's migration starts at its /plan/migrations/N/start");
  CHECK(error_of(with(doc, "/vms/0/cpu", 17)).rfind("dc.json: /vms/0/cpu: must be in [0, 16]", 0) == 0);
  CHECK(error_of(with(doc, "/plan/limits/per_host", 1)).find("/plan/limits/per_host: unknown key") != std::string::npos);
  json storage = with(doc, "/datacentre/storage", json::parse(R"([{"racks": [0]}])"));
  CHECK(error_of(storage) == "dc.json: /datacentre/storage: rack 1 is served by no storage array (its VMs' disks)");
  storage["datacentre"]["storage"].push_back({{"racks", {0}}});
  CHECK(error_of(storage).find("/datacentre/storage/1/racks/0: rack 0 is already served by storage array") != std::string::npos);

  json evacuation = default_scenario_json();
  evacuation["vms"] = json::parse(R"([{"name": "a"}, {"name": "b", "migration": {"start": "1s"}}])");
  CHECK(error_of(evacuation) == "dc.json: /vms/1/migration/start: all VMs of an evacuation start at /migration/start; "
                                "/evacuation/mode orders them");
  evacuation["vms"][1] = {{"name", "b"}, {"host", "rack0-host0"}};
  CHECK(error_of(evacuation).rfind("dc.json: /vms/1/host: a VM's \"host\" places it in a data centre", 0) == 0);
  CHECK(error_of(with(default_scenario_json(), "/plan/migrations", json::array())).rfind("dc.json: /plan: a plan runs in a data centre", 0) == 0);
}
