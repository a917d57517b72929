// The energy of a data centre's hosts over a plan (docs/datacentre.md, "Plan metrics"): each host draws
//   P = idle + (max - idle) x min(1, demand / cores)
// while on, where demand is the sum of the cores its VMs keep busy, and off_power once switched off.
// A VM's demand moves from its source to its destination when its migration ends. With switch-off, a
// host that ends the plan empty is off from the end of the last migration that left it (from 0 when it
// never held a VM). The energy is the integral of the hosts' power from 0 to the plan's end. Left out:
// the CPU a migration itself costs its hosts, and the power of switches, links and storage arrays.
#pragma once

#include "sim/scenario/datacentre_spec.hpp"

#include <vector>

namespace migsim {

struct HostMove {
  size_t vm = 0, source = 0, destination = 0;
  double at_s = 0;  ///< when the VM's demand moves (its migration's end)
};

struct PlanEnergy {
  double joules    = 0;
  int hosts_on_end = 0;
};

/// `host` and `cpu_cores` of each VM at the start; `moves` of the migrations that completed.
PlanEnergy plan_energy(const DatacentreSpec& spec, const std::vector<size_t>& host, const std::vector<double>& cpu_cores,
                       std::vector<HostMove> moves, double end_s, bool switch_off_empty);

}  // namespace migsim
