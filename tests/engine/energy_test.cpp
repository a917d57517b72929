// Migration energy: SimGrid's host energy plugin plus per-byte network energy.
#include "simulate.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <doctest/doctest.h>

using namespace migsim;
using nlohmann::json;

namespace {
RunResult stop_and_copy_with_energy(const std::string& memory)
{
  json doc                         = default_scenario_json();
  doc["vm"]["memory"]              = memory;
  doc["workload"]["dirty"]["rate"] = 0;
  doc["workload"]["io"]["profile"] = "none";
  doc["migration"]["policy"]       = "stop-and-copy";
  doc["migration"]["start"]        = 0;
  doc["platform"]["lan"]["latency"] = 0;
  doc["migration"]["switchover"]["resume_time"] = 0;  // per-byte energy only: no fixed switch-over time
  doc["platform"]["energy"] = {{"enabled", 1},           {"idle_power", 100},        {"busy_power", 200},
                               {"send_cpu_per_GiB", "1s"}, {"receive_cpu_per_GiB", "1s"}, {"network_J_per_GiB", 50}};
  return simulate(doc);
}
}  // namespace

TEST_CASE("migration energy grows linearly with the bytes moved, for a fixed host load (Liu et al., HPDC 2011)")
{
  const RunResult one = stop_and_copy_with_energy("1GiB"), two = stop_and_copy_with_energy("2GiB"),
                  four = stop_and_copy_with_energy("4GiB");
  CHECK(one.has_energy);
  // E = 2 hosts x (idle x T + (busy - idle) x CPU seconds) + network energy, with T = bytes / 125 MB/s
  const double T = 1073741824 / 125e6;
  CHECK(one.source_energy_j == doctest::Approx(100 * T + 100 * 1.0).epsilon(1e-3));
  CHECK(one.destination_energy_j == doctest::Approx(100 * T + 100 * 1.0).epsilon(1e-3));
  CHECK(one.energy_j == doctest::Approx(one.source_energy_j + one.destination_energy_j + 50).epsilon(1e-9));
  // linear: equal increments per GiB
  CHECK((four.energy_j - two.energy_j) == doctest::Approx(2 * (two.energy_j - one.energy_j)).epsilon(1e-3));
  CHECK(four.energy_j / one.energy_j == doctest::Approx(4).epsilon(1e-3));  // no fixed part: the hosts idle only while migrating
}
