#include "sim/scenario_error.hpp"
#include "sim/scenario_loader.hpp"

#include <doctest/doctest.h>

using namespace migsim;
using nlohmann::json;

namespace {
std::string error_of(const json& doc)
{
  try {
    parse_scenario(doc, "s.json");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}
json with(const std::string& pointer, const json& value)
{
  json doc                          = default_scenario_json();
  doc[json::json_pointer(pointer)] = value;
  return doc;
}
}  // namespace

TEST_CASE("the built-in default scenario loads with units resolved")
{
  Scenario s = load_scenario("");
  CHECK(s.memory.page_count == 1048576);
  CHECK(s.platform.lan_Bps == 125e6);
  CHECK(s.dirtying.pages_per_s == doctest::Approx(10e6 / 4096));
  CHECK(s.io.enabled);
  CHECK(s.migration.limits.downtime_limit_s == doctest::Approx(0.3));
  CHECK(s.resolved["/migration/max_time"_json_pointer] == "1h");  // defaults are filled in
}

TEST_CASE("errors name the file, the JSON path, the bad value and what is expected")
{
  CHECK(error_of(with("/platform/lan/bandwidth", "1GB")) ==
        "s.json: /platform/lan/bandwidth: \"1GB\" has unknown unit \"GB\"; expected a rate such as \"1Gbps\", "
        "\"125MBps\" or a number of bytes per second");
  CHECK(error_of(with("/vm/memory", -5)) == "s.json: /vm/memory: must be positive, got -5");
  CHECK(error_of(with("/vm/page_cache/clean", 1.5)) == "s.json: /vm/page_cache/clean: must be in [0, 1], got 1.5");
  CHECK(error_of(with("/migration/max_rounds", "ten")) ==
        "s.json: /migration/max_rounds: expected an integer, got the string \"ten\"");
  CHECK(error_of(with("/platform", 3)) == "s.json: /platform: expected an object, got the number 3");
}

TEST_CASE("an unknown key is reported with the closest known one")
{
  CHECK(error_of(with("/platform/lan/bandwith", "1Gbps")) ==
        "s.json: /platform/lan/bandwith: unknown key \"bandwith\" (did you mean \"bandwidth\"?); known keys here: "
        "bandwidth, latency");
}

TEST_CASE("an unknown policy lists the valid ones")
{
  CHECK(error_of(with("/migration/policy", "precopi")).find("valid policies are: precopy") != std::string::npos);
}

TEST_CASE("page cache larger than memory is refused")
{
  json doc                                    = with("/vm/page_cache/clean", 0.9);
  doc["/vm/page_cache/dirty"_json_pointer] = 0.2;
  CHECK(error_of(doc) == "s.json: /vm/page_cache: page cache (clean + dirty) is larger than memory");
}

TEST_CASE("--set overrides existing settings and refuses unknown ones")
{
  Scenario s = load_scenario("", {"/vm/memory=1GiB", "/workload/dirty/rate=0"});
  CHECK(s.memory.page_count == 262144);
  CHECK(s.dirtying.pages_per_s == 0);
  CHECK_THROWS_WITH_AS(load_scenario("", {"/vm/memroy=1GiB"}), doctest::Contains("/vm/memroy: --set: no such setting"),
                       ScenarioError);
}

TEST_CASE("a missing file is named")
{
  CHECK_THROWS_WITH_AS(load_scenario("/nonexistent/x.json"), doctest::Contains("/nonexistent/x.json: cannot open file"),
                       ScenarioError);
}
