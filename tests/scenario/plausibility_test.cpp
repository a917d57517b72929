// Implausible values (docs/scenario.md, "Implausible values"): a warning for a value off by a unit,
// none for the shipped scenarios, and the variant strings checked against the policies' declarations.
#include "sim/scenario/plausibility.hpp"
#include "sim/scenario/policy_variant.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace migsim;

TEST_CASE("a bare 300 for the downtime limit is 300 s: a warning naming the key")
{
  const Scenario s = parse_scenario(nlohmann::json::parse(R"({"migration": {"downtime_limit": 300}})"), "f.json");
  const auto warnings = implausible_values(s);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].path == "/migration/downtime_limit");
  CHECK(warnings[0].message.rfind("300 is a bare number, so seconds; that is implausible for a downtime limit", 0) == 0);
}

TEST_CASE("a stream CPU rate of 0 is off, not implausible; a bare 10 is 10 bytes/s: a warning")
{
  const auto at = [](const char* value) {
    return implausible_values(parse_scenario(
        nlohmann::json::parse(std::string(R"({"migration": {"stream_cpu_rate": )") + value + "}}"), "f.json"));
  };
  CHECK(at("0").empty());
  CHECK(at("\"2GBps\"").empty());
  const auto warnings = at("10");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].path == "/migration/stream_cpu_rate");
}

TEST_CASE("the built-in default and every shipped scenario are plausible")
{
  CHECK(implausible_values(load_scenario("")).empty());
  for (const char* folder : {"scenarios/paper", "scenarios/examples"})
    for (const auto& entry : std::filesystem::directory_iterator(std::string(MIGSIM_SOURCE_DIR) + "/" + folder))
      if (entry.path().extension() == ".json") {
        INFO(entry.path().string());
        CHECK(implausible_values(load_scenario(entry.path().string())).empty());
      }
}

TEST_CASE("policy variants: canonical labels in declaration order, units, errors")
{
  CHECK(parse_policy_variant("hybrid").label.empty());
  CHECK(parse_policy_variant("hybrid").display_name() == "hybrid");
  CHECK(parse_policy_variant("precopy:xbzrle=1,auto_converge=1").label == "precopy:auto_converge=1,xbzrle=1");
  CHECK(parse_policy_variant("san-restore:map_time_per_GiB=2s").params[0].second == "2s");
  CHECK_THROWS_WITH_AS(parse_policy_variant("hybrid:precopy_rounds=1001"),
                       "policy 'hybrid', precopy_rounds: must be in [1, 1000], got 1001", PolicyVariantError);
  CHECK_THROWS_AS(parse_policy_variant("hybrid:precopy_rounds=\"x\""), PolicyVariantError);
  CHECK(policy_variant_from_json(nlohmann::json::parse(R"({"policy": "hybrid", "label": "h"})")).display_name() == "h");
}
