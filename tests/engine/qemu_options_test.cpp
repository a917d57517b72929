// precopy's QEMU options end to end: what each does to a migration on SimGrid (exact CM02 network,
// no latency), checked against what the round log says it must have done.
#include "models/auto_converge.hpp"
#include "simulate.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace migsim;
using nlohmann::json;

namespace {

constexpr double bandwidth = 125e6;  // 1 Gbit/s
constexpr double page      = 4096;

/// A 1 GiB guest without page cache or free memory writing 200 MB/s uniformly over a 1 Gbit/s LAN:
/// plain pre-copy never converges (it ends at the round limit).
json hard_scenario()
{
  json doc                            = default_scenario_json();
  doc["platform"]["lan"]["latency"]   = 0;
  doc["vm"]                           = {{"memory", "1GiB"}, {"page_cache", {{"clean", 0}, {"dirty", 0}}}, {"free", 0}};
  doc["workload"]["dirty"]            = {{"pattern", "uniform"}, {"rate", "200MBps"}};
  doc["workload"]["io"]["profile"]    = "none";
  doc["migration"]["policy"]          = "precopy";
  doc["migration"]["start"]           = 0;
  doc["migration"]["max_bytes_factor"] = 100;
  doc["output"]["sample_interval"]    = "1s";
  return doc;
}

json with_params(json doc, const json& params)
{
  doc["migration"]["params"] = params;
  return doc;
}

}  // namespace

TEST_CASE("auto-converge turns a migration that hits the round limit into one that converges")
{
  const RunResult plain     = simulate(hard_scenario());
  const RunResult throttled = simulate(with_params(hard_scenario(), {{"auto_converge", 1}}));
  CHECK(plain.status == "round_limit");
  CHECK(plain.throttle_s == 0);
  CHECK(throttled.status == "ok");
  CHECK(throttled.rounds < plain.rounds);
  CHECK(throttled.total_time_s < plain.total_time_s / 2);
  CHECK(throttled.downtime_s < 0.35);  // the 300 ms limit at the measured rate
  CHECK(throttled.throttle_s > 0);
}

TEST_CASE("auto-converge: each round runs the guest at (1 - throttle), the throttle following QEMU's rule")
{
  const RunResult r = simulate(with_params(hard_scenario(), {{"auto_converge", 1}}));
  const auto& log   = r.round_log;
  REQUIRE(log.size() > 4);
  // Replay QEMU's rule over the round log: it gives the throttle each round ran at.
  AutoConverge rule({});
  double throttle_s = 0;
  const double n = 262144, writes_per_s = 200e6 / page;
  for (size_t k = 0; k + 1 < log.size(); ++k) {  // the live rounds
    const double throttle =
        k == 0 ? 0 : rule.on_sync(log[k].start_s, log[k - 1].pages_dirtied * page, log[k - 1].lan_bytes);
    throttle_s += throttle * log[k].duration_s;
    // uniform dirtying at (1 - throttle) of the rate saturates as N (1 - exp(-d t / N))
    const double expected = n * (1 - std::exp(-(1 - throttle) * writes_per_s * log[k].duration_s / n));
    CAPTURE(k);
    CAPTURE(throttle);
    CHECK(static_cast<double>(log[k].pages_dirtied) == doctest::Approx(expected).epsilon(0.01));
  }
  CHECK(rule.steps() >= 3);
  CHECK(r.throttle_s == doctest::Approx(throttle_s).epsilon(1e-9));
}

TEST_CASE("xbzrle: pages sent again cost hit x ratio x page + (1 - hit) x page on the wire")
{
  const RunResult r = simulate(with_params(hard_scenario(), {{"xbzrle", 1}, {"xbzrle_hit_ratio", 0.8},
                                                             {"xbzrle_compression_ratio", 0.25}}));
  CHECK(r.status == "ok");  // 40 % of the bytes per re-sent page is enough to converge here
  REQUIRE(r.round_log.size() > 2);
  CHECK(r.round_log[0].lan_bytes == 1073741824);  // nothing was sent before: whole pages
  uint64_t total = 0;
  for (size_t k = 0; k < r.round_log.size(); ++k) {
    const RoundRecord& round = r.round_log[k];
    total += round.lan_bytes;
    if (k == 0)
      continue;
    CAPTURE(k);
    CHECK(round.lan_bytes == std::llround(round.pages_sent * page * (0.8 * 0.25 + 0.2)));
    CHECK(round.duration_s == doctest::Approx(round.lan_bytes / bandwidth).epsilon(1e-6));  // wire bytes at line rate
  }
  CHECK(r.lan_bytes == total);  // results count wire bytes
}

TEST_CASE("xbzrle: encoding CPU that outlasts the transfer lengthens the round to pages x cpu_per_page")
{
  const RunResult r = simulate(with_params(hard_scenario(), {{"xbzrle", 1}, {"xbzrle_cpu_per_page", 50e-6}}));
  CHECK(r.status == "round_limit");  // CPU-bound encoding: slower than sending whole pages
  for (size_t k = 1; k < r.round_log.size(); ++k) {
    CAPTURE(k);
    CHECK(r.round_log[k].duration_s == doctest::Approx(r.round_log[k].pages_sent * 50e-6).epsilon(1e-6));
  }
}

TEST_CASE("zero page detection sends a header per free page; free page hinting sends nothing for them")
{
  json doc                         = hard_scenario();
  doc["vm"]["free"]                = 0.5;
  doc["workload"]["dirty"]["rate"] = 0;
  const RunResult plain            = simulate(doc);
  const RunResult zero             = simulate(with_params(doc, {{"zero_page_detection", 1}, {"zero_page_bytes", 8}}));
  const RunResult hinted           = simulate(with_params(doc, {{"free_page_hinting", 1}}));
  CHECK(plain.lan_bytes == 1073741824);
  CHECK(zero.lan_bytes == 131072 * 4096 + 131072 * 8);
  CHECK(hinted.lan_bytes == 131072 * 4096);
  CHECK(zero.total_time_s == doctest::Approx(zero.lan_bytes / bandwidth).epsilon(1e-6));
  CHECK(hinted.total_time_s == doctest::Approx(hinted.lan_bytes / bandwidth).epsilon(1e-6));
}

TEST_CASE("downtime stepping raises the limit until what remains fits it")
{
  const double base = 0.3, step = 0.5;
  const int after   = 5;
  const RunResult plain   = simulate(hard_scenario());
  const RunResult stepped = simulate(with_params(hard_scenario(), {{"downtime_step", step}, {"downtime_step_after", after}}));
  CHECK(plain.status == "round_limit");
  CHECK(stepped.status == "ok");
  const auto limit = [&](int k) { return base + step * std::max(0, k - after); };
  const auto& log  = stepped.round_log;
  for (int k = 1; k <= stepped.rounds; ++k) {  // plan k: does what round k - 1 left fit limit(k) at its rate?
    const RoundRecord& prev = log[static_cast<size_t>(k - 1)];
    const double rate       = prev.lan_bytes / prev.duration_s;
    CAPTURE(k);
    if (k < stepped.rounds)
      CHECK(prev.remaining_bytes > rate * limit(k));
    else
      CHECK(prev.remaining_bytes <= rate * limit(k));
  }
  CHECK(stepped.downtime_s > base);
  CHECK(stepped.downtime_s <= limit(stepped.rounds) * 1.0001);
}

TEST_CASE("postcopy_on_stall switches to post-copy once what remains stopped shrinking for 2 rounds")
{
  json doc                   = hard_scenario();
  doc["vm"]["memory"]        = "256MiB";
  doc["workload"]["dirty"]   = {{"pattern", "sequential"}, {"rate", 1.5 * bandwidth}};  // all memory, every round
  doc["migration"]["max_rounds"] = 8;
  const RunResult plain = simulate(doc);
  const RunResult r     = simulate(with_params(doc, {{"postcopy_on_stall", 1}}));
  CHECK(plain.status == "round_limit");
  CHECK(r.status == "ok");
  CHECK(r.rounds == 2);  // round 1 and round 2 found all memory dirty again
  REQUIRE(r.round_log.size() == 3);
  CHECK(r.round_log.back().phase == "before_post_copy");
  CHECK(r.round_log.back().lan_bytes == 0);  // nothing more is pre-copied
  CHECK(r.page_faults > 0);
  CHECK(r.downtime_s < plain.downtime_s / 100);
}
