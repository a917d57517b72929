// Several VMs sharing one platform, and the post-copy family of policies.
#include "simulate.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <doctest/doctest.h>

using namespace migsim;
using nlohmann::json;

namespace {

/// 1 GiB guests, nothing dirtied, no guest IO, exact network model without latency.
json quiet_scenario()
{
  json doc                         = default_scenario_json();
  doc["platform"]["lan"]["latency"] = 0;
  doc["vm"]                        = {{"memory", "1GiB"}, {"page_cache", {{"clean", 0.5}, {"dirty", 0}}}, {"free", 0}};
  doc["workload"]["dirty"]["rate"] = 0;
  doc["workload"]["io"]["profile"] = "none";
  doc["migration"]["policy"]       = "precopy";
  doc["migration"]["start"]        = 0;
  return doc;
}

json evacuation(int vms, const std::string& mode)
{
  json doc = quiet_scenario();
  doc["vms"] = json::array();
  for (int i = 0; i < vms; ++i)
    doc["vms"].push_back({{"name", "vm" + std::to_string(i)}});
  doc["evacuation"] = {{"mode", mode}, {"batch", 2}};
  return doc;
}

}  // namespace

TEST_CASE("two equal migrations at once over one link take twice as long as one")
{
  const double one = simulate(quiet_scenario()).total_time_s;
  RunResult two    = simulate(evacuation(2, "parallel"));
  REQUIRE(two.vms.size() == 2);
  CHECK(two.total_time_s == doctest::Approx(2 * one).epsilon(0.01));
  for (const auto& vm : two.vms)
    CHECK(vm.total_time_s == doctest::Approx(2 * one).epsilon(0.01));
  CHECK(two.lan_bytes == two.vms[0].lan_bytes + two.vms[1].lan_bytes);
}

TEST_CASE("a sequential evacuation takes the sum of the migrations; a batch of two halves four")
{
  const double one = simulate(quiet_scenario()).total_time_s;
  RunResult seq    = simulate(evacuation(3, "sequential"));
  CHECK(seq.total_time_s == doctest::Approx(3 * one).epsilon(0.01));
  CHECK(seq.vms[1].migration_start_s == doctest::Approx(one).epsilon(0.01));
  RunResult batch = simulate(evacuation(4, "batch"));
  CHECK(batch.total_time_s == doctest::Approx(4 * one).epsilon(0.01));  // two at a time, each at half rate
  CHECK(batch.vms[2].migration_start_s == doctest::Approx(2 * one).epsilon(0.01));
}

TEST_CASE("a VM entry overrides the base VM and policy; errors name the VM")
{
  json doc            = evacuation(2, "parallel");
  doc["vms"][1]["vm"] = {{"memory", "2GiB"}};
  doc["vms"][1]["migration"] = {{"policy", "san-restore"}};
  Scenario s = parse_scenario(doc, "evac.json");
  REQUIRE(s.vms.size() == 2);
  CHECK(s.vms[0].memory.page_count == 262144);
  CHECK(s.vms[1].memory.page_count == 524288);
  CHECK(s.vms[1].migration.policy == "san-restore");
  doc["vms"][1]["vm"] = {{"memroy", "2GiB"}};
  CHECK_THROWS_WITH(parse_scenario(doc, "evac.json"),
                    doctest::Contains("evac.json: /vms/1: in this VM, /vm/memroy: unknown key"));
}

TEST_CASE("post-copy switches over at once: tiny downtime, all memory moved after the switch")
{
  json doc                   = quiet_scenario();
  doc["migration"]["policy"] = "postcopy";
  RunResult r                = simulate(doc);
  CHECK(r.downtime_s == doctest::Approx(0.01).epsilon(1e-3));  // the switch-over: resume_time, no device state
  CHECK(r.lan_bytes == 1073741824);
  CHECK(r.total_time_s == doctest::Approx(1073741824 / 125e6 + 0.01).epsilon(0.01));
  CHECK(r.page_faults == 0);  // nothing touched
}

TEST_CASE("post-copy: pages the guest touches before they arrive are faults the guest waits for")
{
  json doc                             = quiet_scenario();
  doc["migration"]["policy"]           = "postcopy";
  doc["workload"]["dirty"]["rate"]     = "20MBps";
  RunResult r                          = simulate(doc);
  CHECK(r.page_faults > 100);
  CHECK(r.fault_wait_s > 0);
  CHECK(r.lan_bytes == 1073741824);  // each page crosses once: pushed or pulled
  doc["migration"]["params"] = {{"san_cache", 1}};
  RunResult with_san         = simulate(doc);
  CHECK(with_san.san_bytes == 536870912);
  CHECK(with_san.lan_bytes + with_san.san_bytes == 1073741824);
  CHECK(with_san.total_time_s < r.total_time_s);
}

TEST_CASE("hybrid bounds a migration that pre-copy cannot converge")
{
  json doc                                = quiet_scenario();
  doc["workload"]["dirty"]                = {{"pattern", "uniform"}, {"rate", "150MBps"}};  // faster than the LAN
  RunResult pre                           = simulate(doc);
  doc["migration"]["policy"]              = "hybrid";
  RunResult hybrid                        = simulate(doc);
  CHECK(pre.status == "byte_limit");
  CHECK(hybrid.status == "ok");
  CHECK(hybrid.downtime_s == doctest::Approx(0.01).epsilon(1e-3));  // the switch-over's resume_time only
  CHECK(pre.downtime_s > 2);
  CHECK(hybrid.total_time_s < pre.total_time_s);
  CHECK(hybrid.page_faults > 0);
}
