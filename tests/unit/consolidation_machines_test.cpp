// Power curves and the study's machines, against the SPECpower tables and CloudSim's constants.
#include "models/consolidation/benchmark_machines.hpp"
#include "models/consolidation/consolidation_metrics.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace migsim;

TEST_CASE("power curve: table values, linear in between, clamped outside [0, 1]")
{
  const PowerCurve g4 = hp_proliant_ml110_g4().power;
  CHECK(g4.watts(0) == 86);
  CHECK(g4.watts(0.5) == 102);
  CHECK(g4.watts(1) == 117);
  CHECK(g4.watts(0.55) == doctest::Approx(104));  // halfway between 102 and 106
  CHECK(g4.watts(1.7) == 117);
  CHECK(g4.watts(-0.1) == 86);
  const PowerCurve g5 = hp_proliant_ml110_g5().power;
  CHECK(g5.watts(0.05) == doctest::Approx(95.35));  // halfway between 93.7 and 97
  CHECK(g5.watts(0.93) == doctest::Approx(133.6));  // 133 + 0.3 x 2
  CHECK_THROWS_AS(PowerCurve({100, 90, 100, 100, 100, 100, 100, 100, 100, 100, 100}), std::invalid_argument);
}

TEST_CASE("the study's hosts and VM types")
{
  const auto hosts = benchmark_host_types();
  REQUIRE(hosts.size() == 2);
  CHECK(hosts[0].capacity_mips() == 3720);
  CHECK(hosts[1].capacity_mips() == 5320);
  CHECK(hosts[1].memory_bytes == 4096e6);
  const auto vms = benchmark_vm_types();
  REQUIRE(vms.size() == 4);
  CHECK(vms[0].mips == 2500);
  CHECK(vms[0].memory_bytes == 870e6);
  CHECK(vms[1].memory_bytes == 1740e6);
  CHECK(vms[3].mips == 500);
  CHECK(vms[3].memory_bytes == 613e6);
  // CloudSim's price of a migration, RAM / (bw / 2): 870 MB over half of 1 Gbit/s.
  CHECK(vms[0].memory_bytes / (hosts[0].bandwidth_Bps / 2) == doctest::Approx(13.92));
}

TEST_CASE("energy, SLATAH, PDM, SLAV and ESV worked by hand")
{
  ConsolidationMetrics m(3, 2);
  const PowerCurve g4 = hp_proliant_ml110_g4().power;
  m.add_active_host_time(0, 100, 0.5, g4);  // 102 W for 100 s, not saturated
  m.add_active_host_time(1, 200, 1.2, g4);  // 117 W for 200 s, saturated all along
  m.add_vm_time(0, 300, 1000, 20);          // 20 s of 300 migrating: Cd = 0.1 x 1000 x 20
  m.add_vm_time(1, 300, 500, 0);
  m.add_migration();
  const ConsolidationSummary s = m.summary();
  CHECK(s.energy_kwh == doctest::Approx((102 * 100 + 117 * 200) / 3.6e6));
  CHECK(s.slatah == doctest::Approx(0.5));  // (0/100 + 200/200) / 2: host 2 never active
  CHECK(s.pdm == doctest::Approx((2000.0 / 300000) / 2));
  CHECK(s.slav == doctest::Approx(s.slatah * s.pdm));
  CHECK(s.esv == doctest::Approx(s.energy_kwh * s.slav));
  CHECK(s.migrations == 1);
}
