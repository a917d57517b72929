// QEMU's switch-over decision during a pass (docs/model.md, "When pre-copy stops"): a live round is sent
// in pieces of switchover_check seconds, and once the unsent bytes fit the last window's rate x
// downtime limit the round ends there and the rest goes with the guest paused. Numbers worked by
// hand on an exact CM02 platform without latency: a 256 MiB idle guest of 65536 pages of 4096 bytes.
#include "simulate.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace migsim;
using nlohmann::json;

namespace {

constexpr double page   = 4096;
constexpr double pages  = 65536;   // 256 MiB
constexpr double B      = 125e6;   // the 1 Gbit/s LAN
constexpr double device = 1e6;     // /migration/switchover/device_state
constexpr double resume = 0.01;    // /migration/switchover/resume_time

json idle_guest(const char* cap)
{
  json doc                          = default_scenario_json();
  doc["platform"]["lan"]            = {{"bandwidth", "1Gbps"}, {"latency", 0}};
  doc["vm"]                         = {{"memory", "256MiB"}, {"page_cache", {{"clean", 0}, {"dirty", 0}}}, {"free", 0}};
  doc["workload"]["dirty"]["rate"]  = 0;
  doc["workload"]["io"]["profile"]  = "none";
  doc["migration"]["policy"]        = "precopy";
  doc["migration"]["start"]         = 0;
  doc["migration"]["downtime_limit"] = "300ms";
  if (cap)
    doc["migration"]["bandwidth_cap"] = cap;
  doc["migration"]["switchover"]    = {{"device_state", device}, {"resume_time", "10ms"}};
  doc["migration"]["params"]        = {{"switchover_check", "100ms"}};  // QEMU's BUFFER_DELAY
  doc["output"]["sample_interval"]  = "1s";
  return doc;
}

}  // namespace

TEST_CASE("an idle guest at a 50 MB/s cap stops with about cap x limit bytes left, sent uncapped")
{
  // A piece is the first pages reaching 50e6 x 0.1 = 5e6 bytes: 1221 pages, 0.10002 s at the cap.
  // The threshold is 50e6 x 0.3 = 15e6 bytes = 3662.1 pages; after k pieces 65536 - 1221 k pages
  // are unsent, first under it at k = 51: 3265 pages (13.37 MB) go with the guest paused at 1 Gbit/s.
  const RunResult r = simulate(idle_guest("50MBps"));
  const double left = 3265 * page;
  REQUIRE(r.round_log.size() == 2);
  CHECK(r.rounds == 1);
  CHECK(r.status == "ok");
  CHECK(r.round_log[0].pages_sent == 62271);
  CHECK(r.round_log[1].pages_sent == 3265);
  CHECK(r.downtime_s == doctest::Approx((left + device) / B + resume).epsilon(1e-3));  // 0.125 s, not 0.018
  CHECK(r.total_time_s == doctest::Approx(51 * 1221 * page / 50e6 + (left + device) / B + resume).epsilon(1e-4));
  CHECK(r.lan_bytes == pages * page + device);
}

TEST_CASE("uncapped, an idle guest's downtime comes close to the limit: the rest goes at the link's rate")
{
  // Pieces of 125e6 x 0.1 bytes: 3052 pages; threshold 125e6 x 0.3 = 9155.3 pages, first reached
  // after 19 pieces with 7548 pages unsent, sent at the same 1 Gbit/s: 0.247 s + device + resume.
  const RunResult r = simulate(idle_guest(nullptr));
  const double left = 7548 * page;
  CHECK(r.rounds == 1);
  CHECK(r.round_log[1].pages_sent == 7548);
  CHECK(r.downtime_s == doctest::Approx((left + device) / B + resume).epsilon(1e-3));
  CHECK(r.downtime_s > 0.2);
  CHECK(r.downtime_s < 0.3 + device / B + resume);
}

TEST_CASE("switchover_check 0 (the default) and Xen's options keep the decision at the end of a round")
{
  // The whole round at the cap (M / 50e6 = 5.369 s); nothing is left but the device state.
  for (const char* option : {"switchover_check", "skip_rewritten"}) {
    CAPTURE(option);
    json doc = idle_guest("50MBps");
    doc["migration"]["params"][option] = std::string(option) == "skip_rewritten" ? 1 : 0;
    const RunResult r = simulate(doc);
    CHECK(r.round_log[0].pages_sent == pages);
    CHECK(r.downtime_s == doctest::Approx(device / B + resume).epsilon(1e-3));
    CHECK(r.total_time_s == doctest::Approx(pages * page / 50e6 + device / B + resume).epsilon(1e-4));
  }
}

TEST_CASE("a writing guest: a round that ends early leaves its unsent pages dirty for the next plan")
{
  // 20 MB/s of uniform writes over 256 MiB at a 50 MB/s cap: the first time the unsent part fits,
  // the dirtied pages do not, so the round ends early (a dirty sync) and the next one sends both.
  json doc                          = idle_guest("50MBps");
  doc["workload"]["dirty"]          = {{"pattern", "uniform"}, {"rate", "20MBps"}};
  doc["migration"]["max_time"]      = 60;
  const RunResult r = simulate(doc);
  REQUIRE(r.round_log.size() >= 3);
  CHECK(r.round_log[0].pages_sent < pages);  // ended early: some of round 0's pages went in round 1
  CHECK(r.round_log[0].pages_sent > pages - 3663);
  uint64_t sent = 0;
  for (const RoundRecord& round : r.round_log)
    sent += round.pages_sent;
  CHECK(r.lan_bytes == sent * 4096 + device);  // every page taken is sent once, the rest again later
}
