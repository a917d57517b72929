// Sweep files expanded into plans, in-process (no simulation): the order of runs, the seed rule, random
// draws, values in SI base units, where errors point to, and the CSV and range helpers the runner and
// the merge rely on.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "sim/output/csv_file.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/sweep/sweep_plan.hpp"
#include "sim/sweep/sweep_runner.hpp"

#include <doctest/doctest.h>

using namespace migsim;
using ojson = nlohmann::ordered_json;

namespace {
SweepPlan plan_of(const std::string& text)
{
  return expand_sweep(parse_sweep_spec(ojson::parse(text), "s.json"));
}

std::string error_of(const std::string& text)
{
  try {
    plan_of(text);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("splitmix64 gives the reference values, and the seed rules follow docs/sweeps.md")
{
  // First outputs of Vigna's splitmix64 seeded with 0 and 1 (the generator adds the constant first).
  CHECK(splitmix64(0) == 0xe220a8397b1dcdafULL);
  CHECK(splitmix64(0x9e3779b97f4a7c15ULL) == 0x6e789e6aa1b965f4ULL);
  CHECK(replication_seed(SeedRule::SplitMix64, 1, 0) == splitmix64(1) >> 15);
  CHECK(replication_seed(SeedRule::SplitMix64, 1, 0) < (1ULL << 49));
  CHECK(replication_seed(SeedRule::Sequential, 7, 3) == 10);
}

TEST_CASE("a grid varies its first key slowest, then policies, then replications")
{
  const SweepPlan p = plan_of(R"({"grid": {"/workload/dirty/rate": ["10MBps", "20MBps"], "/vm/memory": ["1GiB", "2GiB"]},
                                  "policies": ["precopy", "stop-and-copy"], "replications": 2})");
  REQUIRE(p.runs.size() == 16);
  CHECK(p.parameters == std::vector<std::string>{"/workload/dirty/rate", "/vm/memory"});
  CHECK(p.runs[0].cells == std::vector<std::string>{"10000000", "1073741824"});
  CHECK(p.runs[4].cells == std::vector<std::string>{"10000000", "2147483648"});
  CHECK(p.runs[8].cells == std::vector<std::string>{"20000000", "1073741824"});
  CHECK(p.runs[1].policy == "precopy");
  CHECK(p.runs[2].policy == "stop-and-copy");
  CHECK(p.runs[1].replication == 1);
  SUBCASE("every point and policy sees the same seeds, one per replication")
  {
    for (const auto& r : p.runs)
      CHECK(r.seed == replication_seed(SeedRule::SplitMix64, 1, r.replication));
    CHECK(p.runs[0].seed != p.runs[1].seed);
  }
  SUBCASE("each run's scenario carries its values, policy and seed")
  {
    const auto& s = p.runs[10].scenario;
    CHECK(s["workload"]["dirty"]["rate"] == "20MBps");
    CHECK(s["migration"]["policy"] == "stop-and-copy");
    CHECK(s["seed"] == p.runs[10].seed);
  }
}

TEST_CASE("zip lists vary in lock-step and a base seed with the sequential rule gives base + replication")
{
  const SweepPlan p = plan_of(R"({"zip": {"/platform/lan/bandwidth": ["1Gbps", "10Gbps"], "/platform/san/bandwidth": [1e9, 2e9]},
                                  "replications": {"count": 3, "base_seed": 40, "seed_rule": "sequential"}})");
  REQUIRE(p.runs.size() == 6);
  CHECK(p.runs[0].cells == std::vector<std::string>{"125000000", "1000000000"});
  CHECK(p.runs[3].cells == std::vector<std::string>{"1250000000", "2000000000"});
  CHECK(p.runs[2].seed == 42);
}

TEST_CASE("random draws are seeded, stay in range, and may be log-uniform or integers")
{
  const char* text = R"({"random": {"samples": 50, "seed": 3, "params": {
                           "/workload/dirty/rate": {"min": "1MBps", "max": 1e8, "log": true},
                           "/migration/max_rounds": {"min": 2, "max": 9, "integer": true}}}})";
  const SweepPlan a = plan_of(text);
  const SweepPlan b = plan_of(text);
  REQUIRE(a.runs.size() == 50);
  int below_1e7 = 0;
  for (size_t i = 0; i < a.runs.size(); ++i) {
    CHECK(a.runs[i].values == b.runs[i].values);
    const double rate = a.runs[i].values[0].get<double>();
    CHECK(rate >= 1e6);
    CHECK(rate <= 1e8);
    below_1e7 += rate < 1e7;
    CHECK(a.runs[i].values[1].is_number_integer());
    CHECK(a.runs[i].values[1].get<int>() >= 2);
    CHECK(a.runs[i].values[1].get<int>() <= 9);
  }
  CHECK(below_1e7 > 10);  // log-uniform: half the draws below the geometric middle
  CHECK(below_1e7 < 40);
}

TEST_CASE("\"policies\": \"all\" runs every registered policy")
{
  const SweepPlan p = plan_of(R"({"policies": "all"})");
  CHECK(p.runs.size() == p.policies.size());
  CHECK(p.policies.front() == "precopy");
}

TEST_CASE("errors name the sweep file and the JSON path of the value at fault")
{
  CHECK(error_of(R"({"grid": {"/workload/dirty/rate": ["10MBps", "5XBps"]}})")
            .rfind("s.json: /grid/~1workload~1dirty~1rate/1: \"5XBps\" has unknown unit", 0) == 0);
  CHECK(error_of(R"({"grid": {"/workload/dirty/rte": [1]}})").find("did you mean \"rate\"") != std::string::npos);
  CHECK(error_of(R"({"gird": {}})").rfind("s.json: /gird: unknown key", 0) == 0);
  CHECK(error_of(R"({"policies": ["precopy", "nope"]})").rfind("s.json: /policies/1: unknown policy 'nope'", 0) == 0);
  CHECK(error_of(R"({"zip": {"/vm/memory": ["1GiB", "2GiB"], "/vm/free": [0.1]}})").rfind("s.json: /zip/~1vm~1free:", 0) == 0);
  CHECK(error_of(R"({"grid": {"/seed": [1, 2]}})").rfind("s.json: /grid/~1seed:", 0) == 0);
  CHECK(error_of(R"({"set": {"/vm/memory": "lots"}})").rfind("s.json: /set/~1vm~1memory:", 0) == 0);
  CHECK(error_of(R"({"replications": 0})").rfind("s.json: /replications:", 0) == 0);
  CHECK(error_of(R"({"random": {"samples": 2, "params": {"/vm/free": {"min": 0.5}}}})").rfind("s.json: /random/params/~1vm~1free/max: missing", 0) == 0);
  // A combination that is only wrong as a whole names the run and the file the rule lives in.
  CHECK(error_of(R"({"grid": {"/vm/page_cache/clean": [0.5, 0.99]}})").find("run 1 (/vm/page_cache/clean=0.99): built-in default: /vm/free") !=
        std::string::npos);
}

TEST_CASE("swept values become CSV cells in SI base units")
{
  CHECK(si_cell("10MBps") == "10000000");
  CHECK(si_cell("1Gbps") == "125000000");
  CHECK(si_cell("4GiB") == "4294967296");
  CHECK(si_cell("30ms") == "0.03");
  CHECK(si_cell(0.25) == "0.25");
  CHECK(si_cell(3) == "3");
  CHECK(si_cell("hotset") == "hotset");
  CHECK(si_cell(true) == "true");
}

TEST_CASE("CSV cells survive a round trip, quotes and commas included")
{
  const CsvRow row = {"a", "b,c", "say \"hi\"", ""};
  const CsvTable t = parse_csv(csv_line({"x", "y", "z", "w"}) + csv_line(row), "t.csv");
  CHECK(t.header == CsvRow{"x", "y", "z", "w"});
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0] == row);
  CHECK_THROWS(parse_csv("a,b\n1\n", "t.csv"));
}

TEST_CASE("run ranges are half-open and clamped to the plan")
{
  CHECK(parse_run_range("0:10", 100) == std::pair<uint64_t, uint64_t>{0, 10});
  CHECK(parse_run_range("90:120", 100) == std::pair<uint64_t, uint64_t>{90, 100});
  CHECK(parse_run_range("5:", 8) == std::pair<uint64_t, uint64_t>{5, 8});
  CHECK(parse_run_range(":3", 8) == std::pair<uint64_t, uint64_t>{0, 3});
  CHECK(parse_run_range("12:15", 8) == std::pair<uint64_t, uint64_t>{8, 8});  // past the end: nothing to do
  CHECK_THROWS_AS(parse_run_range("5:2", 8), InputError);
  CHECK_THROWS_AS(parse_run_range("7", 8), InputError);
  CHECK_THROWS_AS(parse_run_range("a:b", 8), InputError);
}

TEST_CASE("policy variants: the string and object forms, labelled in the plan and each run")
{
  const SweepPlan p = plan_of(R"({"policies": ["hybrid", "hybrid:precopy_rounds=1",
                                  {"policy": "hybrid", "params": {"precopy_rounds": 10}, "label": "hybrid after 10"},
                                  {"policy": "precopy", "params": {"xbzrle": 1, "auto_converge": 1}}]})");
  REQUIRE(p.runs.size() == 4);
  CHECK(p.policies == std::vector<std::string>{"hybrid", "hybrid:precopy_rounds=1", "hybrid after 10",
                                               "precopy:auto_converge=1,xbzrle=1"});
  CHECK(p.runs[1].policy == "hybrid:precopy_rounds=1");
  CHECK(p.runs[1].scenario["migration"]["policy"] == "hybrid");
  CHECK(p.runs[1].scenario["migration"]["params"]["precopy_rounds"] == 1);
  CHECK(p.runs[2].scenario["migration"]["label"] == "hybrid after 10");
  CHECK(p.runs[2].scenario["migration"]["params"]["precopy_rounds"] == 10);
  CHECK_FALSE(p.runs[0].scenario["migration"].contains("label"));
}

TEST_CASE("policy variants: bad entries name the entry")
{
  CHECK(error_of(R"({"policies": ["hybrid:rounds=1"]})")
            .rfind("s.json: /policies/0: policy 'hybrid' has no parameter \"rounds\"; its parameters are: precopy_rounds", 0) == 0);
  CHECK(error_of(R"({"policies": [{"policy": "hybrid", "params": {"precopy_rounds": 0}}]})")
            .rfind("s.json: /policies/0: policy 'hybrid', precopy_rounds: must be in [1, 1000], got 0", 0) == 0);
  CHECK(error_of(R"({"policies": [{"policy": "hybrid", "lable": "x"}]})").rfind("s.json: /policies/0: unknown key \"lable\"", 0) == 0);
  CHECK(error_of(R"({"policies": ["hybrid:precopy_rounds=1", {"policy": "hybrid", "params": {"precopy_rounds": 1}}]})")
            .rfind("s.json: /policies/1: policy \"hybrid:precopy_rounds=1\" is listed twice", 0) == 0);
}

TEST_CASE("settings that overlap are refused: the plan would record a value no run uses")
{
  // The column would say 1 and 10 Gbps while the zip's whole /platform/lan replaced them.
  CHECK(error_of(R"({"grid": {"/platform/lan/bandwidth": ["1Gbps", "10Gbps"]},
                     "zip": {"/platform/lan": [{"bandwidth": "100Mbps"}, {"bandwidth": "200Mbps"}]}})")
            .rfind("s.json: /zip/~1platform~1lan: \"/platform/lan\" overlaps \"/platform/lan/bandwidth\" (at "
                   "/grid/~1platform~1lan~1bandwidth)",
                   0) == 0);
  CHECK(error_of(R"({"grid": {"/platform/lan": [{}], "/platform/lan/latency": ["1ms"]}})")
            .rfind("s.json: /grid/~1platform~1lan~1latency: \"/platform/lan/latency\" overlaps \"/platform/lan\"", 0) == 0);
  CHECK(error_of(R"({"set": {"/vm/memory": "1GiB"}, "random": {"samples": 2, "params": {"/vm/memory": {"min": 1e9, "max": 2e9}}}})")
            .rfind("s.json: /random/params/~1vm~1memory: \"/vm/memory\" is set or varied twice in this sweep (also at /set/~1vm~1memory)", 0) == 0);
  CHECK(error_of(R"({"policies": ["precopy"], "grid": {"/migration": [{"policy": "hybrid"}]}})")
            .rfind("s.json: /grid/~1migration: \"/migration\" overlaps \"/migration/policy\" (at /policies)", 0) == 0);
  // A variant's parameter is in its label: varying it would run other values than the policy column says.
  CHECK(error_of(R"({"policies": ["hybrid:precopy_rounds=1"], "grid": {"/migration/params/precopy_rounds": [2, 3]}})")
            .rfind("s.json: /grid/~1migration~1params~1precopy_rounds: \"/migration/params/precopy_rounds\" is set or varied twice in this sweep (also at /policies/0)", 0) == 0);
  CHECK(error_of(R"({"policies": ["hybrid"], "set": {"/migration/label": "mine"}})")
            .rfind("s.json: /set/~1migration~1label:", 0) == 0);
  // Settings side by side, and a parameter no variant sets, stay allowed.
  CHECK(plan_of(R"({"grid": {"/platform/lan/bandwidth": ["1Gbps"], "/platform/lan/latency": ["1ms"]},
                    "policies": ["hybrid", "hybrid:precopy_rounds=1"], "set": {"/migration/downtime_limit": "100ms"}})")
            .runs.size() == 2);
}

TEST_CASE("a random range's unit strings must be of the setting's kind, as --set requires")
{
  // "1Gbps" for a duration was drawn as 1.25e8 to 2.5e8 seconds.
  CHECK(error_of(R"({"random": {"samples": 2, "params": {"/migration/downtime_limit": {"min": "1Gbps", "max": "2Gbps"}}}})")
            .rfind("s.json: /random/params/~1migration~1downtime_limit/min: \"1Gbps\" has unknown unit \"Gbps\"; expected a duration", 0) == 0);
  CHECK(error_of(R"({"random": {"samples": 2, "params": {"/workload/dirty/rate": {"min": 1e6, "max": "2GiB"}}}})")
            .rfind("s.json: /random/params/~1workload~1dirty~1rate/max: \"2GiB\"", 0) == 0);
  CHECK(error_of(R"({"random": {"samples": 2, "params": {"/migration/max_rounds": {"min": "1s", "max": 20, "integer": true}}}})")
            .rfind("s.json: /random/params/~1migration~1max_rounds/min: \"/migration/max_rounds\" is a plain number", 0) == 0);
  // A VM entry's setting has the kind of the base scenario's of the same name.
  CHECK(error_of(R"({"base": {"vms": [{}, {}]}, "random": {"samples": 2, "params": {"/vms/1/migration/downtime_limit": {"min": "1MiB", "max": "2MiB"}}}})")
            .rfind("s.json: /random/params/~1vms~11~1migration~1downtime_limit/min:", 0) == 0);
  // A policy's own parameter with a unit is checked against that policy's declaration.
  CHECK(error_of(R"({"policies": ["precopy"], "random": {"samples": 2, "params": {"/migration/params/rate_max": {"min": "1s", "max": "2s"}}}})")
            .rfind("s.json: /random/params/~1migration~1params~1rate_max/min: \"1s\" has unknown unit", 0) == 0);
  const SweepPlan p = plan_of(R"({"random": {"samples": 3, "params": {"/migration/downtime_limit": {"min": "10ms", "max": "2s"}}}})");
  REQUIRE(p.runs.size() == 3);
  for (const auto& r : p.runs)
    CHECK((r.values[0].get<double>() >= 0.01 && r.values[0].get<double>() <= 2));
}
