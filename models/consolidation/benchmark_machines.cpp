#include "models/consolidation/benchmark_machines.hpp"

namespace migsim {

namespace {
constexpr double megabyte  = 1e6;
constexpr double gigabit_s = 1e9 / 8;
}  // namespace

ServerModel hp_proliant_ml110_g4()
{
  return {"HP ProLiant ML110 G4", 2, 1860, 4096 * megabyte, gigabit_s,
          PowerCurve({86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117})};
}

ServerModel hp_proliant_ml110_g5()
{
  return {"HP ProLiant ML110 G5", 2, 2660, 4096 * megabyte, gigabit_s,
          PowerCurve({93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135})};
}

std::vector<ServerModel> benchmark_host_types()
{
  return {hp_proliant_ml110_g4(), hp_proliant_ml110_g5()};
}

std::vector<VmType> benchmark_vm_types()
{
  const double vm_bandwidth = 100e6 / 8;
  return {{"High-CPU Medium", 2500, 870 * megabyte, vm_bandwidth},
          {"Extra Large", 2000, 1740 * megabyte, vm_bandwidth},
          {"Small", 1000, 1740 * megabyte, vm_bandwidth},
          {"Micro", 500, 613 * megabyte, vm_bandwidth}};
}

}  // namespace migsim
