// What a consolidation policy sees each period (read-only) and what it returns (decisions as data).
//
// The snapshot lists the hosts (capacity, memory, the rate a migration from them is expected to get,
// power curve, power state) and the VMs (host, requested capacity, memory, CPU demand history, the
// destination of a migration in flight). Hosts and VMs are named by their index. A VM's demand
// history is in MIPS, one value per period, oldest first; its last value is the current demand. A
// host's utilisation history is not stored: it follows from the demand histories of the VMs on it.
//
// The decisions are migrations (VM, destination) to start now, hosts to switch on now, and hosts to
// switch off once the VMs leaving them have left. The caller carries them out and checks them.
#pragma once

#include "models/consolidation/power_curve.hpp"

#include <vector>

namespace migsim {

struct HostState {
  int cores          = 1;
  double core_mips   = 0;
  double memory_bytes = 0;
  /// The rate a migration leaving this host is expected to get (bytes/s): what MMT and LR use to
  /// estimate migration times. CloudSim's pricing gives half the host's bandwidth.
  double migration_Bps = 0;
  PowerCurve power;
  bool powered_on = true;
  double capacity_mips() const { return cores * core_mips; }
};

struct VmState {
  int host          = -1;  ///< where the VM runs now; -1: not placed yet (no migration in flight then)
  int migrating_to  = -1;  ///< destination of a migration in flight, -1: none
  double mips       = 0;   ///< requested capacity
  double memory_bytes = 0;
  std::vector<double> demand_mips;  ///< one value per period, oldest first; back() = now
  double demand() const { return demand_mips.empty() ? 0 : demand_mips.back(); }
};

struct DataCentreSnapshot {
  double time_s = 0;
  const std::vector<HostState>& hosts;
  const std::vector<VmState>& vms;
};

struct VmMove {
  int vm;
  int destination;
  bool operator==(const VmMove& o) const { return vm == o.vm && destination == o.destination; }
};

struct ConsolidationDecisions {
  std::vector<VmMove> moves;
  std::vector<int> switch_on;   ///< switched-off hosts that receive a VM: switch on now
  std::vector<int> switch_off;  ///< hosts to switch off once every VM has left them
};

}  // namespace migsim
