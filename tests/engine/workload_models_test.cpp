// Workload models end to end: phases and trace replay (the shipped example scenarios included).
#include "models/dirty_trace.hpp"
#include "models/page_bitmap.hpp"
#include "simulate.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace migsim;
using nlohmann::json;

namespace {

const std::string examples = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/examples/";

}  // namespace

TEST_CASE("a phase that stops the writes at a given guest time bounds what round 1 has to send")
{
  // 1 GiB at 1 Gbit/s; sequential writes at 62.5 MB/s for the first 2 s only: round 0 (8.6 s) leaves
  // exactly those 2 s of writes, 125 MB, and round 1 nothing more.
  json doc                          = default_scenario_json();
  doc["platform"]["lan"]["latency"] = 0;
  doc["vm"]                         = {{"memory", "1GiB"}, {"page_cache", {{"clean", 0}, {"dirty", 0}}}, {"free", 0}};
  doc["workload"]["dirty"]          = {{"pattern", "sequential"}, {"rate", 62.5e6}, {"phases", {{{"at", "2s"}, {"rate", 0}}}}};
  doc["workload"]["io"]["profile"]  = "none";
  doc["migration"]                  = {{"policy", "precopy"}, {"start", 0}};
  const RunResult r = simulate(parse_scenario(doc, "test"));
  REQUIRE(r.round_log.size() >= 2);
  CHECK(r.round_log[0].pages_dirtied == static_cast<uint64_t>(62.5e6 * 2 / 4096));
  CHECK(r.round_log[1].pages_dirtied == 0);
  CHECK(r.status == "ok");
}

TEST_CASE("the trace-replay example dirties exactly the pages its trace writes during each round")
{
  const Scenario s = load_scenario(examples + "trace_replay.json");
  REQUIRE(s.dirtying.trace);
  const RunResult r = simulate(s);
  CHECK(r.status == "ok");
  REQUIRE(r.round_log.size() >= 2);
  // Round k runs over guest time [start + start_k, start + start_k + duration_k): bursts in it dirty pages.
  std::ifstream in(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/traces/webserver_hotset_pages.csv");
  const DirtyTrace trace = parse_dirty_trace(in, s.memory.page_count);
  for (size_t k = 0; k + 1 < r.round_log.size(); ++k) {
    const double from = s.migration.start_s + r.round_log[k].start_s;
    const double to   = from + r.round_log[k].duration_s;
    PageBitmap written(s.memory.page_count);
    for (const DirtyBurst& b : trace.bursts)
      if (b.time_s >= from && b.time_s < to)
        written.set_range(b.first_page, b.first_page + b.pages);
    CAPTURE(k);
    CHECK(r.round_log[k].pages_dirtied == written.count());
  }
}

TEST_CASE("a page trace needs no randomness: another seed gives the same migration")
{
  Scenario a = load_scenario(examples + "trace_replay.json");
  Scenario b = load_scenario(examples + "trace_replay.json", {"/seed=7"});
  const RunResult ra = simulate(a), rb = simulate(b);
  CHECK(ra.lan_bytes == rb.lan_bytes);
  CHECK(ra.total_time_s == rb.total_time_s);
}

TEST_CASE("the rate-series example replays its rates with the scenario's zipf pattern")
{
  const Scenario s = load_scenario(examples + "rate_series_replay.json");
  CHECK(s.dirtying.pattern == DirtyPattern::Zipf);
  REQUIRE(s.dirtying.phases.size() == 120);
  const RunResult r = simulate(s);
  CHECK(r.status == "ok");
  CHECK(r.rounds >= 2);
}
