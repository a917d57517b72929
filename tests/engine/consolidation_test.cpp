// A consolidation run (docs/consolidation.md) on tests/scenario/consolidation_small.json: six VMs from
// the sample PlanetLab traces on six HP ML110 G5 hosts, 1 Gbit/s NICs. PABFD packs the VMs at their full
// MIPS; at the first decision their traced demand is low and thr-mmt empties two hosts into a third, so
// four guests arrive at rack0-host0 at once: its NIC's down direction is shared by max-min.
#include "simulate.hpp"
#include "sim/scenario/json_file.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace migsim;
using nlohmann::json;

namespace {

const std::string scenario_file = std::string(MIGSIM_SOURCE_DIR) + "/tests/scenario/consolidation_small.json";

RunResult run(const json& document)
{
  return simulate(parse_scenario(document, scenario_file));
}

}  // namespace

TEST_CASE("a consolidation's migrations share the destination's NIC and take their simulated time")
{
  const RunResult r = run(read_json_file(scenario_file));
  REQUIRE(r.consolidation);
  const ConsolidationOutcome& c = *r.consolidation;
  CHECK(c.hosts == 6);
  CHECK(c.vms == 6);
  CHECK(c.timeline.size() == 48);
  REQUIRE(r.vms.size() == static_cast<size_t>(c.migrations));
  REQUIRE(c.migrations == 4);
  double bytes = 0;
  for (const RunResult& m : r.vms) {
    CHECK(m.status == "ok");
    CHECK(m.destination_host == "rack0-host0");
    CHECK(m.migration_start_s == 0);
    bytes += static_cast<double>(m.lan_bytes);
  }
  // The four end together: all their bytes through one 125 MB/s NIC, plus the resume (10 ms).
  for (const RunResult& m : r.vms)
    CHECK(m.total_time_s == doctest::Approx(bytes / 125e6 + 0.01).epsilon(0.01));
  CHECK(c.timeline[0].migrations_started == 4);
  CHECK(c.timeline[1].migrations_running == 0);
  // PABFD put the six VMs on three hosts; two are emptied into the third and switch off as their last
  // VM leaves: still on at the first decision, off at the next.
  CHECK(c.timeline[0].active_hosts == 3);
  CHECK(c.shutdowns == 2);
  CHECK(c.timeline[1].active_hosts == 1);
  CHECK(c.energy_kwh > 0);
  CHECK(c.pdm > 0);  // the migrating VMs were degraded
}

TEST_CASE("the same consolidation and seed give the same run; no policy moves nothing")
{
  const json doc   = read_json_file(scenario_file);
  const RunResult a = run(doc);
  const RunResult b = run(doc);
  CHECK(nlohmann::json(a).dump() == nlohmann::json(b).dump());

  json none                        = doc;
  none["consolidation"]["policy"] = "none";
  const RunResult n               = run(none);
  CHECK(n.consolidation->migrations == 0);
  CHECK(n.vms.empty());
  // Without consolidation the packed hosts stay on: more energy, and no migration to degrade anyone.
  CHECK(n.consolidation->energy_kwh > a.consolidation->energy_kwh);
  CHECK(n.consolidation->pdm == 0);
}
