// The SAN-parallel page-cache policies against their analytic times, and on the paper scenarios
// against each other (Akiyama et al. 2014; docs/policies.md).
#include "sim/engine/isolated_run.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <map>

using namespace migsim;
using nlohmann::json;

namespace {

const std::string paper_dir = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/paper/";

/// Memory M = 4 GiB, clean cache C = 2 GiB, nothing dirtied, no guest IO, exact network model.
json analytic_scenario(const std::string& san_bandwidth)
{
  json doc                               = default_scenario_json();
  doc["platform"]["lan"]                 = {{"bandwidth", "1Gbps"}, {"latency", 0}};
  doc["platform"]["san"]                 = {{"bandwidth", san_bandwidth}, {"latency", 0}};
  doc["platform"]["storage"]             = {{"read_bandwidth", "10GBps"}, {"access_time", 0}};
  doc["vm"]["page_cache"]                = {{"clean", 0.5}, {"dirty", 0}};
  doc["vm"]["free"]                      = 0;
  doc["workload"]["dirty"]["rate"]       = 0;
  doc["workload"]["io"]["profile"]       = "none";
  doc["migration"]["start"]              = 0;
  return doc;
}

std::map<std::string, RunResult> run_policies(json doc, const std::vector<std::string>& policies,
                                              const json& params = json::object())
{
  std::vector<Scenario> scenarios;
  for (const auto& p : policies) {
    doc["migration"]["policy"] = p;
    doc["migration"]["params"] = p.rfind("san-", 0) == 0 ? params : json::object();
    scenarios.push_back(parse_scenario(doc, "test"));
  }
  std::map<std::string, RunResult> out;
  auto outcomes = run_isolated(scenarios, 2);
  for (size_t i = 0; i < policies.size(); ++i) {
    REQUIRE(outcomes[i].internal_error == "");
    REQUIRE(outcomes[i].input_error == "");
    out[policies[i]] = *outcomes[i].result;
  }
  return out;
}

json load(const std::string& file)
{
  return json::parse(std::ifstream(paper_dir + file));
}

constexpr double M = 4294967296.0, C = M / 2, B_lan = 125e6;

}  // namespace

TEST_CASE("san-restore takes T_map + max(T_lan(M - C), C / B_san) + downtime, LAN-bound and SAN-bound")
{
  const double map_s_per_GiB = 0.5, T_map = map_s_per_GiB * C / 1073741824.0;
  for (auto [san, B_san] : {std::pair{"4Gbps", 500e6}, {"400Mbps", 50e6}}) {
    CAPTURE(san);
    RunResult r = run_policies(analytic_scenario(san), {"san-restore"}, {{"map_time_per_GiB", map_s_per_GiB}})["san-restore"];
    const double expected = T_map + std::max((M - C) / B_lan, C / B_san) + r.downtime_s;
    CHECK(r.total_time_s == doctest::Approx(expected).epsilon(0.02));
    CHECK(r.downtime_s == doctest::Approx(0.01).epsilon(1e-3));  // nothing left to copy: the resume only
    CHECK(r.san_bytes == C);
    CHECK(r.lan_bytes == M - C);
    CHECK(r.status == "ok");
  }
}

TEST_CASE("san-adaptive takes max(M / (B_lan + B_san), (M - C) / B_lan) with free mapping")
{
  for (auto [san, B_san] : {std::pair{"4Gbps", 500e6}, {"400Mbps", 50e6}, {"1Gbps", 125e6}}) {
    CAPTURE(san);
    RunResult r = run_policies(analytic_scenario(san), {"san-adaptive"}, {{"map_time_per_GiB", 0}})["san-adaptive"];
    CHECK(r.total_time_s == doctest::Approx(std::max(M / (B_lan + B_san), (M - C) / B_lan)).epsilon(0.02));
    CHECK(r.lan_bytes + r.san_bytes == M);
  }
}

TEST_CASE("on the paper web-server scenario the SAN policies are fastest and keep the cache warm")
{
  auto r = run_policies(load("webserver.json"), {"precopy", "drop-cache", "san-restore", "san-adaptive"});
  CHECK(r["san-restore"].total_time_s < r["precopy"].total_time_s);
  CHECK(r["san-adaptive"].total_time_s < r["precopy"].total_time_s);
  CHECK(r["san-adaptive"].total_time_s <= r["san-restore"].total_time_s * 1.001);
  CHECK(r["drop-cache"].io_penalty_s > 5 * r["san-restore"].io_penalty_s);
  CHECK(r["drop-cache"].io_penalty_s > 1.0);  // seconds of guest IO lost
  for (auto& [policy, run] : r)
    CHECK(run.io_baseline_Bps > 0);
}

TEST_CASE("on the paper database scenario the SAN policies are fastest and keep the cache warm")
{
  auto r = run_policies(load("database.json"), {"precopy", "drop-cache", "san-restore", "san-adaptive"});
  CHECK(r["san-restore"].total_time_s < r["precopy"].total_time_s);
  CHECK(r["san-adaptive"].total_time_s < r["precopy"].total_time_s);
  CHECK(r["drop-cache"].io_penalty_s > 5 * r["san-restore"].io_penalty_s);
}

TEST_CASE("with a SAN much slower than the LAN, san-restore loses to drop-cache and san-adaptive does not lose")
{
  json doc                            = load("webserver.json");
  doc["platform"]["san"]["bandwidth"] = "100Mbps";  // a tenth of the LAN
  auto r = run_policies(doc, {"precopy", "drop-cache", "san-restore", "san-adaptive"});
  CHECK(r["san-restore"].total_time_s > r["drop-cache"].total_time_s);
  CHECK(r["san-restore"].total_time_s > r["precopy"].total_time_s);
  // never worse than the better of precopy and san-restore
  CHECK(r["san-adaptive"].total_time_s <= std::min(r["precopy"].total_time_s, r["san-restore"].total_time_s));
}

TEST_CASE("san-lazy resumes before the restore is done and pays for it in IO after resume")
{
  json doc                            = load("webserver.json");
  doc["platform"]["san"]["bandwidth"] = "400Mbps";  // the restore (2.8 GiB at 50 MB/s) outlasts pre-copy
  auto r = run_policies(doc, {"san-restore", "san-lazy"});
  CHECK(r["san-lazy"].total_time_s < 0.8 * r["san-restore"].total_time_s);
  CHECK(r["san-lazy"].san_bytes == r["san-restore"].san_bytes);
  CHECK(r["san-lazy"].io_penalty_s > r["san-restore"].io_penalty_s);
}

TEST_CASE("a SAN policy's wait for the restore ends when the restore ends, even when its rate changes")
{
  // Two VMs restore over the destination's one 400 Mbit/s SAN link: 25 MB/s each until b's 1 GiB is
  // done, then a's alone at 50 MB/s. An estimate from a's average rate so far would wait too long.
  json doc                                   = analytic_scenario("400Mbps");
  doc["vms"]                                 = {{{"name", "a"}, {"vm", {{"memory", "4GiB"}}}},
                                                {{"name", "b"}, {"vm", {{"memory", "2GiB"}}}}};
  doc["evacuation"]                          = {{"mode", "parallel"}};
  for (const char* policy : {"san-restore", "san-adaptive"}) {
    CAPTURE(policy);
    const RunResult plan       = run_policies(doc, {policy}, {{"map_time_per_GiB", 0}})[policy];
    REQUIRE(plan.vms.size() == 2);
    for (const RunResult& vm : plan.vms) {
      CAPTURE(vm.vm);
      double restore_end = 0;  // the end of the last sample interval that moved SAN bytes
      for (const Sample& s : vm.samples)
        if (s.san_restore_Bps > 0)
          restore_end = s.time_s;
      const double end = vm.migration_start_s + vm.total_time_s;
      REQUIRE(restore_end > 0);
      // Nothing is dirtied: after the restore only the empty stop-and-copy round and the 10 ms resume.
      CHECK(end >= restore_end - 0.1);  // the sample interval (100 ms) that saw the restore end
      CHECK(end <= restore_end + 0.02);
    }
    if (std::string(policy) == "san-restore")  // a's restore ends with all 3 GiB of clean cache: 3 GiB / 50 MB/s
      CHECK(plan.vms[0].total_time_s == doctest::Approx(3 * 1073741824.0 / 50e6 + 0.01).epsilon(0.01));
  }
}
