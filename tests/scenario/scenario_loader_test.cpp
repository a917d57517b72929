#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

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
  CHECK(error_of(doc) == "s.json: /vm/page_cache: page cache (clean + dirty) is larger than memory: 0.9 + 0.2 > 1");
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

// Workload models: zipf, phases, traces (sections "Workload models" of docs/model.md).
namespace {
/// A scenario file and a trace file next to it in a fresh temporary folder; the scenario names the
/// trace by a path relative to itself.
struct TraceFiles {
  std::string dir, scenario, trace;
  TraceFiles(const std::string& name, const std::string& trace_text, const json& extra = json::object())
  {
    dir = (std::filesystem::temp_directory_path() / ("migsim-trace-test-" + name)).string();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir + "/traces");
    trace = dir + "/traces/t.csv";
    std::ofstream(trace) << trace_text;
    json doc                                       = default_scenario_json();
    doc["/vm/memory"_json_pointer]                 = "1MiB";  // 256 pages
    doc["/workload/dirty/trace"_json_pointer]      = "traces/t.csv";
    doc.merge_patch(extra);
    scenario = dir + "/s.json";
    std::ofstream(scenario) << doc.dump(2);
  }
  ~TraceFiles() { std::filesystem::remove_all(dir); }
  std::string error() const
  {
    try {
      load_scenario(scenario);
    } catch (const ScenarioError& e) {
      return e.what();
    }
    return "";
  }
};
}  // namespace

TEST_CASE("the zipf pattern and its exponent are read")
{
  json doc = with("/workload/dirty/pattern", "zipf");
  doc["/workload/dirty/zipf_exponent"_json_pointer] = 1.2;
  Scenario s = parse_scenario(doc, "s.json");
  CHECK(s.dirtying.pattern == DirtyPattern::Zipf);
  CHECK(s.dirtying.zipf_exponent == 1.2);
  CHECK(error_of(with("/workload/dirty/zipf_exponent", 0)) ==
        "s.json: /workload/dirty/zipf_exponent: must be in [0.01, 10], got 0");
}

TEST_CASE("phases change the workload at given guest times; what a phase leaves out it keeps from the one before")
{
  json doc = with("/workload/dirty/phases", json::array({{{"at", "20s"}, {"rate", "80MBps"}},
                                                         {{"at", "30s"}, {"pattern", "sequential"}}}));
  Scenario s = parse_scenario(doc, "s.json");
  REQUIRE(s.dirtying.phases.size() == 2);
  CHECK(s.dirtying.phases[0].at_s == 20);
  CHECK(s.dirtying.phases[0].pages_per_s == doctest::Approx(80e6 / 4096));
  CHECK(s.dirtying.phases[0].pattern == DirtyPattern::HotSet);  // the default scenario's
  CHECK(s.dirtying.phases[1].pattern == DirtyPattern::Sequential);
  CHECK(s.dirtying.phases[1].pages_per_s == doctest::Approx(80e6 / 4096));
  CHECK(s.resolved["/workload/dirty/phases/1/rate"_json_pointer] == doctest::Approx(80e6));
}

TEST_CASE("phase errors name the phase and the key")
{
  CHECK(error_of(with("/workload/dirty/phases", json::array({{{"rate", "1MBps"}}}))) ==
        "s.json: /workload/dirty/phases/0: a phase needs \"at\": the guest time it starts (and may change rate, "
        "pattern, hot_fraction, hot_share, zipf_exponent)");
  CHECK(error_of(with("/workload/dirty/phases", json::array({{{"at", "5s"}}, {{"at", "5s"}}}))) ==
        "s.json: /workload/dirty/phases/1/at: phases must start at increasing times");
  CHECK(error_of(with("/workload/dirty/phases", json::array({{{"at", "5s"}, {"rte", "1MBps"}}}))).find(
            "s.json: /workload/dirty/phases/0/rte: unknown key \"rte\" (did you mean \"rate\"?)") == 0);
  CHECK(error_of(with("/workload/dirty/phases", json::array({{{"at", "5s"}, {"pattern", "zip"}}}))).find(
            "s.json: /workload/dirty/phases/0/pattern: unknown value \"zip\"") == 0);
  CHECK(error_of(with("/workload/dirty/phases", 3)) == "s.json: /workload/dirty/phases: expected a list, got the number 3");
  CHECK(error_of(with("/workload/dirty/phases", json::array({3}))) ==
        "s.json: /workload/dirty/phases/0: expected an object, got the number 3");
}

TEST_CASE("a page trace is read relative to the scenario file")
{
  TraceFiles f("pages", "time_s,first_page,pages\n0.5,0,10\n2,100,30\n");
  Scenario s = load_scenario(f.scenario);
  REQUIRE(s.dirtying.trace);
  CHECK(s.dirtying.trace->bursts.size() == 2);
  CHECK(s.dirtying.pages_per_s == doctest::Approx(40 / 2.0));  // reported: the trace's mean
}

TEST_CASE("a rate series becomes phases of the scenario's pattern")
{
  TraceFiles f("rates", "time_s,rate_Bps\n0,1e6\n5,2e6\n");
  Scenario s = load_scenario(f.scenario);
  CHECK(!s.dirtying.trace);
  REQUIRE(s.dirtying.phases.size() == 2);
  CHECK(s.dirtying.phases[1].at_s == 5);
  CHECK(s.dirtying.phases[1].pages_per_s == doctest::Approx(2e6 / 4096));
  CHECK(s.dirtying.phases[1].pattern == DirtyPattern::HotSet);
}

TEST_CASE("an error in a trace file names the trace file, the line and the column")
{
  TraceFiles f("bad", "# a comment\ntime_s,first_page,pages\n0,0,1\n1,256,1\n");
  CHECK(f.error() == f.trace + ": line 4, column first_page: page 256 is beyond the guest's 256 pages");
  TraceFiles g("missing", "", {{"workload", {{"dirty", {{"trace", "traces/none.csv"}}}}}});
  CHECK(g.error() == g.scenario + ": /workload/dirty/trace: cannot read trace file \"" + g.dir + "/traces/none.csv\": cannot open file (No such file or directory)");
  TraceFiles h("both", "time_s,rate_Bps\n0,1\n", {{"workload", {{"dirty", {{"phases", {{{"at", 1}}}}}}}}});
  CHECK(h.error() == h.scenario +
                         ": /workload/dirty/trace: cannot be combined with /workload/dirty/phases (both change dirtying "
                         "over time)");
}
