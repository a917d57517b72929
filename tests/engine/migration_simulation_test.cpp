// Pre-copy on SimGrid against what can be worked out by hand (exact CM02 network model, no latency).
#include "simulate.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace migsim;
using nlohmann::json;

namespace {

json exact_network_scenario()
{
  json doc = default_scenario_json();
  doc["platform"]["network_model"]        = "CM02";
  doc["platform"]["lan"]["latency"]       = 0;
  doc["vm"]["page_cache"]                 = {{"clean", 0}, {"dirty", 0}};
  doc["vm"]["free"]                       = 0;
  doc["workload"]["dirty"]["rate"]        = 0;
  doc["workload"]["io"]["profile"]        = "none";
  doc["migration"]["start"]               = 0;
  doc["migration"]["policy"]              = "precopy";
  doc["output"]["sample_interval"]        = "1s";
  return doc;
}

struct ClosedForm {
  double bytes = 0;
  double time  = 0;
  int rounds   = 0;  // live rounds
  std::string status;
};

/// Pre-copy by hand: round i+1 sends what was dirtied during round i, `dirtied(seconds)` bytes;
/// stop-and-copy under the same rules as the precopy policy.
template <class Dirtied>
ClosedForm precopy_by_hand(double memory, double bandwidth, double downtime_limit, int max_rounds, Dirtied dirtied)
{
  ClosedForm f;
  double v = memory;
  for (int round = 0;; ++round) {
    if (round > 0 && (v <= bandwidth * downtime_limit || round >= max_rounds)) {
      f.status = v <= bandwidth * downtime_limit ? "ok" : "round_limit";
      f.rounds = round;
      f.bytes += v;
      f.time += v / bandwidth;
      return f;
    }
    f.bytes += v;
    f.time += v / bandwidth;
    v = dirtied(v / bandwidth);
  }
}

}  // namespace

TEST_CASE("stop-and-copy of 512 MB takes 32 / 16 / 8 s at 128 / 256 / 512 Mbit/s (Clark et al. 2005)")
{
  for (auto [rate, seconds] : {std::pair{"128Mbps", 32.0}, {"256Mbps", 16.0}, {"512Mbps", 8.0}}) {
    json doc                             = exact_network_scenario();
    doc["vm"]["memory"]                  = "512MB";
    doc["platform"]["lan"]["bandwidth"]  = rate;
    doc["migration"]["policy"]           = "stop-and-copy";
    RunResult r                          = simulate(doc);
    // Plus the switch-over's default 10 ms resume (the published figures are link arithmetic only).
    CHECK(r.total_time_s == doctest::Approx(seconds + 0.01).epsilon(1e-6));
    CHECK(r.downtime_s == doctest::Approx(seconds + 0.01).epsilon(1e-6));
    CHECK(r.lan_bytes == 512000000);
    CHECK(r.status == "ok");
  }
}

TEST_CASE("pre-copy with sequential dirtying follows the geometric closed form V = M (1 - r^(n+1)) / (1 - r)")
{
  const double memory = 1073741824.0, bandwidth = 125e6;
  for (double ratio : {0.1, 0.3, 0.5, 0.8}) {
    CAPTURE(ratio);
    json doc                              = exact_network_scenario();
    doc["vm"]["memory"]                   = memory;
    doc["workload"]["dirty"]["pattern"]   = "sequential";
    doc["workload"]["dirty"]["rate"]      = ratio * bandwidth;
    doc["migration"]["downtime_limit"]    = "300ms";
    doc["migration"]["max_bytes_factor"]  = 100;  // the closed form has no byte limit
    RunResult r                           = simulate(doc);
    ClosedForm f = precopy_by_hand(memory, bandwidth, 0.3, 30, [&](double t) { return ratio * bandwidth * t; });
    CHECK(static_cast<double>(r.lan_bytes) == doctest::Approx(f.bytes).epsilon(0.02));
    CHECK(r.total_time_s == doctest::Approx(f.time).epsilon(0.02));
    CHECK(r.rounds == f.rounds);
    CHECK(r.status == "ok");
    // and the sum is the geometric series of the domain notes
    const int n = f.rounds;
    CHECK(f.bytes == doctest::Approx(memory * (1 - std::pow(ratio, n + 1)) / (1 - ratio)).epsilon(0.001));
  }
}

TEST_CASE("pre-copy does not converge when dirtying outpaces the link: the round limit ends it")
{
  const double memory = 268435456.0, bandwidth = 125e6;
  for (double ratio : {1.0, 1.5}) {
    CAPTURE(ratio);
    json doc                               = exact_network_scenario();
    doc["vm"]["memory"]                    = memory;
    doc["workload"]["dirty"]["pattern"]    = "sequential";
    doc["workload"]["dirty"]["rate"]       = ratio * bandwidth;
    doc["migration"]["max_rounds"]         = 8;
    doc["migration"]["max_bytes_factor"]   = 100;
    RunResult r                            = simulate(doc);
    ClosedForm f = precopy_by_hand(memory, bandwidth, 0.3, 8, [&](double t) { return std::min(memory, ratio * bandwidth * t); });
    CHECK(r.status == "round_limit");
    CHECK(f.status == "round_limit");
    CHECK(r.rounds == 8);
    CHECK(static_cast<double>(r.lan_bytes) == doctest::Approx(f.bytes).epsilon(0.02));
    CHECK(r.total_time_s == doctest::Approx(f.time).epsilon(0.02));
    CHECK(r.downtime_s == doctest::Approx(memory / bandwidth).epsilon(0.02));
  }
}

TEST_CASE("pre-copy with uniform dirtying follows the saturating recursion V' = M (1 - exp(-D t / M))")
{
  const double memory = 1073741824.0, bandwidth = 125e6;
  for (double ratio : {0.2, 0.6, 0.9}) {
    CAPTURE(ratio);
    json doc                            = exact_network_scenario();
    doc["vm"]["memory"]                 = memory;
    doc["workload"]["dirty"]["pattern"] = "uniform";
    doc["workload"]["dirty"]["rate"]    = ratio * bandwidth;
    doc["migration"]["max_bytes_factor"] = 100;  // the recursion has no byte limit
    RunResult r                         = simulate(doc);
    ClosedForm f = precopy_by_hand(memory, bandwidth, 0.3, 30, [&](double t) {
      return memory * (1 - std::exp(-ratio * bandwidth * t / memory));
    });
    CHECK(static_cast<double>(r.lan_bytes) == doctest::Approx(f.bytes).epsilon(0.02));
    CHECK(r.total_time_s == doctest::Approx(f.time).epsilon(0.02));
  }
}

TEST_CASE("the same scenario and seed give the same result, another seed another one")
{
  json doc = default_scenario_json();
  doc["vm"]["memory"] = "1GiB";
  json a = simulate(doc), b = simulate(doc);
  CHECK(a.dump() == b.dump());
  doc["seed"] = 2;
  json c      = simulate(doc);
  CHECK(c["lan_bytes"] != a["lan_bytes"]);
}

TEST_CASE("a bandwidth cap limits the migration stream")
{
  json doc                              = exact_network_scenario();
  doc["vm"]["memory"]                   = "100MB";
  doc["migration"]["policy"]            = "stop-and-copy";
  doc["migration"]["bandwidth_cap"]     = "100Mbps";
  doc["migration"]["cap_final_copy"]    = true;  // stop-and-copy is all final copy: QEMU's default lifts the cap
  RunResult r                           = simulate(doc);
  // 100 MB at 12.5 MB/s, + the 10 ms resume; SimGrid's rate bounds are solved to its max-min precision (1e-5)
  CHECK(r.total_time_s == doctest::Approx(8.01).epsilon(1e-5));
  doc["migration"]["bandwidth_cap"] = 0;
  CHECK(simulate(doc).total_time_s == doctest::Approx(100e6 / 125e6 + 0.01).epsilon(1e-5));
}
