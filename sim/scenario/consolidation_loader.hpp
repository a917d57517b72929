// Reads `/consolidation` (docs/consolidation.md): the policy and its parameters, the trace folder and
// its format, the VMs (one per trace, or more with the traces tiled) and their types. Reads every trace,
// turns each into one utilisation per period, and places the VMs as CloudSim does before the first
// period: power-aware best-fit decreasing at their full MIPS, on hosts all switched off. What cannot run
// (an unreadable trace, VMs that do not fit) is refused here with its file and JSON path.
#pragma once

#include "models/consolidation/datacentre_snapshot.hpp"
#include "sim/scenario/json_field_reader.hpp"
#include "sim/scenario/scenario.hpp"

#include <string>
#include <vector>

namespace migsim {

/// `/consolidation` of a data-centre scenario `s` (s.datacentre set; s is the VMs' template). Fills
/// s.consolidation and s.vms (one migration template per VM type). Relative paths are from `base_dir`.
void read_consolidation(JsonFieldReader& r, Scenario& s, const std::string& base_dir);

/// The hosts a consolidation policy sees, from the data centre's hosts, all switched off; with
/// `check_memory` false their memory is unbounded (CloudSim's study: memory never limits placement).
std::vector<HostState> consolidation_hosts(const DatacentreSpec& spec, bool check_memory);

}  // namespace migsim
