// The switch-over as QEMU does it (issue 11, docs/model.md): the final copy is not held to the
// bandwidth cap unless /migration/cap_final_copy says so, every switch-over sends the device state and
// waits the resume time (post-copy included), and QEMU's options combine with every pre-copying
// policy. Times worked out by hand on an exact CM02 platform without latency.
#include "simulate.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace migsim;
using nlohmann::json;

namespace {

constexpr double M = 268435456.0;  // 256 MiB
constexpr double B = 125e6;        // the 1 Gbit/s LAN
constexpr double cap = 50e6;       // /migration/bandwidth_cap
constexpr double device = 1e6;     // /migration/switchover/device_state
constexpr double resume = 0.01;    // /migration/switchover/resume_time

/// An idle 256 MiB guest (nothing dirtied, no cache, no free memory, no IO), capped at 50 MB/s.
json idle_scenario(const std::string& policy, bool cap_final_copy)
{
  json doc                          = default_scenario_json();
  doc["platform"]["lan"]            = {{"bandwidth", "1Gbps"}, {"latency", 0}};
  doc["platform"]["san"]            = {{"bandwidth", "8Gbps"}, {"latency", 0}};
  doc["vm"]                         = {{"memory", "256MiB"}, {"page_cache", {{"clean", 0}, {"dirty", 0}}}, {"free", 0}};
  doc["workload"]["dirty"]["rate"]  = 0;
  doc["workload"]["io"]["profile"]  = "none";
  doc["migration"]["policy"]        = policy;
  doc["migration"]["start"]         = 0;
  doc["migration"]["bandwidth_cap"] = "50MBps";
  doc["migration"]["cap_final_copy"] = cap_final_copy;
  doc["migration"]["switchover"]    = {{"device_state", device}, {"resume_time", "10ms"}};
  doc["output"]["sample_interval"]  = "1s";
  return doc;
}

}  // namespace

TEST_CASE("precopy: the final copy is uncapped by default, capped when /migration/cap_final_copy is true")
{
  // Round 0 sends M at the cap; nothing was dirtied, so the stop-and-copy sends only the device state.
  const RunResult qemu = simulate(idle_scenario("precopy", false));
  CHECK(qemu.downtime_s == doctest::Approx(device / B + resume).epsilon(1e-3));
  CHECK(qemu.total_time_s == doctest::Approx(M / cap + device / B + resume).epsilon(1e-4));
  CHECK(qemu.lan_bytes == M + device);
  const RunResult xen = simulate(idle_scenario("precopy", true));
  CHECK(xen.downtime_s == doctest::Approx(device / cap + resume).epsilon(1e-3));
  CHECK(xen.total_time_s == doctest::Approx(M / cap + device / cap + resume).epsilon(1e-4));
}

TEST_CASE("stop-and-copy: the whole copy is the final copy, at the link rate unless capped")
{
  const RunResult qemu = simulate(idle_scenario("stop-and-copy", false));
  CHECK(qemu.total_time_s == doctest::Approx((M + device) / B + resume).epsilon(1e-4));
  CHECK(qemu.downtime_s == doctest::Approx(qemu.total_time_s));
  const RunResult xen = simulate(idle_scenario("stop-and-copy", true));
  CHECK(xen.total_time_s == doctest::Approx((M + device) / cap + resume).epsilon(1e-4));
}

TEST_CASE("post-copy's downtime is resume_time + device_state / bandwidth, and its push is uncapped by default")
{
  const RunResult qemu = simulate(idle_scenario("postcopy", false));
  CHECK(qemu.downtime_s == doctest::Approx(device / B + resume).epsilon(1e-3));
  CHECK(qemu.total_time_s == doctest::Approx((M + device) / B + resume).epsilon(1e-3));
  CHECK(qemu.lan_bytes == M + device);
  const RunResult xen = simulate(idle_scenario("postcopy", true));
  CHECK(xen.downtime_s == doctest::Approx(device / cap + resume).epsilon(1e-3));
  CHECK(xen.total_time_s == doctest::Approx((M + device) / cap + resume).epsilon(1e-3));
}

TEST_CASE("hybrid's downtime is no longer 0")
{
  json doc                                    = idle_scenario("hybrid", false);
  doc["workload"]["dirty"]                    = {{"pattern", "uniform"}, {"rate", "100MBps"}};
  doc["migration"]["params"]["precopy_rounds"] = 1;
  const RunResult r = simulate(doc);
  CHECK(r.downtime_s == doctest::Approx(device / B + resume).epsilon(1e-3));
}

TEST_CASE("every policy that pre-copies accepts QEMU's options; zero pages cost headers under each")
{
  for (const char* policy : {"precopy", "drop-cache", "san-restore", "san-adaptive", "san-lazy", "hybrid"}) {
    CAPTURE(policy);
    json doc        = idle_scenario(policy, false);
    doc["vm"]["free"] = 0.5;  // free pages are zero pages
    const RunResult plain = simulate(doc);
    doc["migration"]["params"] = {{"zero_page_detection", 1}, {"auto_converge", 1}, {"downtime_step", "10ms"}};
    const RunResult zero = simulate(doc);
    CHECK(zero.lan_bytes < plain.lan_bytes * 0.6);
    CHECK(zero.status == "ok");
  }
  for (const char* policy : {"postcopy", "stop-and-copy"}) {  // they send nothing live: no QEMU options
    CAPTURE(policy);
    json doc                   = idle_scenario(policy, false);
    doc["migration"]["params"] = {{"zero_page_detection", 1}};
    CHECK_THROWS_AS(parse_scenario(doc, "test"), ScenarioError);
  }
}
