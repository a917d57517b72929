// The hosts and VMs of Beloglazov and Buyya's consolidation study (CCPE 24(13), 2012), as CloudSim's
// power examples define them (modules/cloudsim-examples/.../examples/power/Constants.java and the
// PowerModelSpecPowerHpProLiantMl110G4Xeon3040 / ...G5Xeon3075 classes):
//  - HP ProLiant ML110 G4 (Xeon 3040, 2 cores at 1860 MIPS) and G5 (Xeon 3075, 2 cores at 2660 MIPS),
//    4096 MB of memory, 1 Gbit/s, with their SPECpower_ssj2008 curves (results 2011q1
//    power_ssj2008-20110127-00342 and -20110124-00339);
//  - four single-core VM types the study names after Amazon EC2 instances: 2500 MIPS / 870 MB
//    (High-CPU Medium), 2000 / 1740 (Extra Large), 1000 / 1740 (Small), 500 / 613 (Micro), 100 Mbit/s.
// CloudSim's megabytes are decimal here (1 MB = 1e6 bytes), so that RAM / (1 Gbit/s / 2) gives the
// migration times CloudSim's RAM / (bw / 2) gives (870 MB: 13.92 s).
#pragma once

#include "models/consolidation/power_curve.hpp"

#include <string>
#include <vector>

namespace migsim {

struct ServerModel {
  std::string name;
  int cores;
  double core_mips;
  double memory_bytes;
  double bandwidth_Bps;
  PowerCurve power;
  double capacity_mips() const { return cores * core_mips; }
};

struct VmType {
  std::string name;
  double mips;
  double memory_bytes;
  double bandwidth_Bps;
};

ServerModel hp_proliant_ml110_g4();
ServerModel hp_proliant_ml110_g5();
/// The study's host types in CloudSim's order: host i has type i % 2.
std::vector<ServerModel> benchmark_host_types();
/// The study's VM types in CloudSim's order: of n VMs, VM i has type i / ceil(n / 4).
std::vector<VmType> benchmark_vm_types();

}  // namespace migsim
