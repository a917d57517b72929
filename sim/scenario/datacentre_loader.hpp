// Reads a data-centre scenario's own sections (docs/datacentre.md): `/datacentre` (racks, hosts,
// uplinks, spine, storage arrays), each VM's place (`/vms/N/host`, `/vms/N/cpu`) and `/plan` (the
// migrations, their start times, `after` dependencies and concurrency limits). A plan that cannot run
// (an unknown VM or host, a cycle in `after`, a host without room for its VMs) is refused here, before
// anything is simulated, with the file and JSON path of the culprit.
#pragma once

#include "sim/scenario/json_field_reader.hpp"
#include "sim/scenario/scenario.hpp"

#include <nlohmann/json.hpp>

namespace migsim {

/// Keys of the two-host platform that a data centre replaces: refused when given with /datacentre.
void refuse_two_host_platform(const JsonFieldReader& r, const nlohmann::json& document);

/// `/datacentre`, with every default filled in.
DatacentreSpec read_datacentre(JsonFieldReader& r);

/// `/vms/N/host` and `/vms/N/cpu` of every VM (s.vms already read), and the memory check of the
/// placement.
void read_placement(JsonFieldReader& r, Scenario& s);

/// `/plan`, checked against the data centre and the VMs.
PlanSpec read_plan(JsonFieldReader& r, const Scenario& s);

}  // namespace migsim
