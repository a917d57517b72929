// The CPU of a migration stream: /migration/stream_cpu_rate holds each LAN stream to the rate its
// thread can process, and says in cpu_bound_s when it did; the energy section's CPU cost never slows
// a transfer (docs/model.md, "The migration thread's CPU"; docs/energy.md).
#include "simulate.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <doctest/doctest.h>

using namespace migsim;
using nlohmann::json;

namespace {
constexpr double bytes_8GiB = 8589934592.0, resume_s = 0.01;

/// Stop-and-copy of an idle 8 GiB guest (nothing dirtied, no guest IO) over `lan`.
json idle_stop_and_copy(const std::string& lan)
{
  json doc                         = default_scenario_json();
  doc["vm"]["memory"]              = "8GiB";
  doc["workload"]["dirty"]["rate"] = 0;
  doc["workload"]["io"]["profile"] = "none";
  doc["migration"]["policy"]       = "stop-and-copy";
  doc["migration"]["start"]        = 0;
  doc["platform"]["lan"]           = {{"bandwidth", lan}, {"latency", 0}};
  return doc;
}
}  // namespace

TEST_CASE("the energy section's CPU cost does not slow a transfer: 8 GiB over 25, 40, 100 Gbit/s at the link's rate")
{
  for (auto [lan, Bps] : {std::pair{"25Gbps", 25e9 / 8}, {"40Gbps", 40e9 / 8}, {"100Gbps", 100e9 / 8}})
    for (int energy : {0, 1}) {
      CAPTURE(lan);
      CAPTURE(energy);
      json doc                            = idle_stop_and_copy(lan);
      doc["platform"]["energy"]["enabled"] = energy;  // its send and receive CPU cost keep their 0.5 s/GiB default
      const RunResult r = simulate(doc);
      CHECK(r.total_time_s == doctest::Approx(bytes_8GiB / Bps + resume_s).epsilon(1e-3));  // 100 Gbit/s: 0.697 s
      CHECK(!r.has_stream_cpu_rate);
      CHECK(r.cpu_bound_s == 0);
    }
}

TEST_CASE("a stream CPU rate below the link's share holds each stream to it, and cpu_bound_s says for how long")
{
  json doc                              = idle_stop_and_copy("100Gbps");
  doc["migration"]["streams"]           = 4;
  doc["migration"]["stream_cpu_rate"]   = "8Gbps";  // 1 GB/s per stream, 4 GB/s in all: below 12.5 GB/s
  const RunResult bound                 = simulate(doc);
  const double transfer_s               = bytes_8GiB / 4e9;
  CHECK(bound.has_stream_cpu_rate);
  CHECK(bound.total_time_s == doctest::Approx(transfer_s + resume_s).epsilon(1e-3));
  CHECK(bound.cpu_bound_s == doctest::Approx(transfer_s).epsilon(1e-3));

  doc["migration"]["stream_cpu_rate"] = "80Gbps";  // 10 GB/s per stream, above the link's 3.125 GB/s share
  const RunResult free                = simulate(doc);
  CHECK(free.has_stream_cpu_rate);
  CHECK(free.total_time_s == doctest::Approx(bytes_8GiB / 12.5e9 + resume_s).epsilon(1e-3));
  CHECK(free.cpu_bound_s == 0);
}

TEST_CASE("a lower policy or scenario cap binds before the stream CPU rate: cpu_bound_s stays 0")
{
  json doc                              = idle_stop_and_copy("100Gbps");
  doc["migration"]["policy"]            = "precopy";  // the live round 0 is held to bandwidth_cap
  doc["migration"]["bandwidth_cap"]     = "16Gbps";   // 0.5 GB/s per stream, below the CPU rate
  doc["migration"]["stream_cpu_rate"]   = "8Gbps";
  const RunResult r                     = simulate(doc);
  REQUIRE(r.round_log.size() >= 1);
  CHECK(r.round_log[0].duration_s == doctest::Approx(bytes_8GiB / 2e9).epsilon(1e-3));
  // the stop-and-copy round is uncapped (QEMU) but still held to the CPU rate; it has nothing to send
  CHECK(r.cpu_bound_s == 0);
}
