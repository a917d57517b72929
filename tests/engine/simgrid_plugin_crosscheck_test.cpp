// migsim's precopy against SimGrid's own live-migration plugin, both run here, live, on the same
// platform file (the Fafard-Tremblay part of SimGrid's small_platform.xml) and network model (LV08).
#include "sim/engine/isolated_run.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/validation/simgrid_plugin_reference.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace migsim;
using nlohmann::json;

namespace {

const std::string platform = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/platforms/small_platform_fafard_tremblay.xml";

/// Migration time of `count` idle VMs of `ram` bytes each, migrated at once Fafard -> Tremblay, by
/// SimGrid's plugin (the time of the last one), driven as the validation suite drives it.
double plugin_migration_time(double ram, int count = 1)
{
  const PluginSetup setup{platform, "Fafard", "Tremblay", ram, count};
  const std::vector<double> seconds = finish_plugin_migration(start_plugin_migration(setup));
  return *std::max_element(seconds.begin(), seconds.end());
}

double migsim_migration_time(double ram, int count = 1)
{
  json doc = default_scenario_json();
  doc["platform"] = {{"network_model", "LV08"},          {"file", platform},
                     {"source_host", "Fafard"},          {"destination_host", "Tremblay"}};
  doc["vm"]       = {{"memory", ram}, {"page_size", 1000}, {"page_cache", {{"clean", 0}, {"dirty", 0}}}, {"free", 0}};
  doc["workload"]["dirty"]["rate"] = 0;
  doc["workload"]["io"]["profile"] = "none";
  doc["migration"]["start"]        = 0;
  if (count > 1) {
    doc["vms"] = json::array();
    for (int i = 0; i < count; ++i)
      doc["vms"].push_back({{"name", "VM" + std::to_string(i)}});
    doc["evacuation"] = {{"mode", "parallel"}};
  }
  auto outcomes = run_isolated({parse_scenario(doc, "crosscheck")}, 1);
  REQUIRE(outcomes[0].input_error == "");
  REQUIRE(outcomes[0].result);
  return outcomes[0].result->total_time_s;
}

}  // namespace

TEST_CASE("an idle 1e9-byte VM migrates Fafard -> Tremblay as with SimGrid's plugin (132.77 s), within 1 %")
{
  const double plugin = plugin_migration_time(1e9);
  CHECK(plugin == doctest::Approx(132.765801).epsilon(1e-4));  // the plugin itself, as SimGrid documents it
  CHECK(migsim_migration_time(1e9) == doctest::Approx(plugin).epsilon(0.01));
}

TEST_CASE("an idle 1e8-byte VM migrates as with SimGrid's plugin (13.35 s), within 1 %")
{
  const double plugin = plugin_migration_time(1e8);
  CHECK(plugin == doctest::Approx(13.345992).epsilon(1e-4));
  CHECK(migsim_migration_time(1e8) == doctest::Approx(plugin).epsilon(0.01));
}

TEST_CASE("two idle 1e9-byte VMs migrated at once take 265.45 s each, as with SimGrid's plugin, within 1 %")
{
  const double plugin = plugin_migration_time(1e9, 2);
  CHECK(plugin == doctest::Approx(265.454).epsilon(1e-3));
  CHECK(migsim_migration_time(1e9, 2) == doctest::Approx(plugin).epsilon(0.01));
}
