// A scenario, typed and validated: everything one simulation run needs. Built only by
// load_scenario(), which also keeps the fully resolved JSON (defaults filled in) for run.json.
// The default of every scenario key lives in one place, the loader (scenario_loader.cpp); members that
// come from a key have no initialiser of their own here. docs/scenario.md's default column is checked
// against the loader by tests/scenario/scenario_defaults_test.cpp.
#pragma once

#include "models/dirtying_model.hpp"
#include "models/guest_memory.hpp"
#include "models/io_workload.hpp"
#include "models/policies/migration_policy.hpp"
#include "models/units.hpp"
#include "sim/scenario/consolidation_spec.hpp"
#include "sim/scenario/datacentre_spec.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace migsim {

/// Host power (SimGrid's host energy plugin) and the energy of the CPU that moving data costs (an
/// account only: it never slows a transfer); per-byte energy of the network and the storage (docs/energy.md).
struct EnergySpec {
  bool enabled             = false;
  double idle_W            = 0;  ///< a host's power when idle
  double busy_W            = 0;  ///< a host's power with its (one modelled) core busy
  double send_cpu_per_byte = 0;    ///< core-seconds per byte sent (copying, checksumming, compressing)
  double recv_cpu_per_byte = 0;    ///< core-seconds per byte received (or restored from storage)
  double network_J_per_byte = 0;
  double storage_J_per_byte = 0;
};

struct PlatformSpec {
  std::string network_model;  ///< SimGrid network model: CM02 (exact arithmetic) or LV08
  std::string file;                    ///< optional SimGrid XML platform; empty = built from the fields below
  std::string source_host      = "source";
  std::string destination_host = "destination";
  std::string storage_host     = "storage";
  double lan_Bps               = 0;  ///< LAN link between source and destination
  double lan_latency_s         = 0;
  double san_Bps               = 0;  ///< each host's link to the storage array
  double san_latency_s         = 0;
  double storage_read_Bps      = 0;  ///< the array's read bandwidth, shared by everything that reads it
  double storage_access_s      = 0;  ///< per-request service time of a read miss (seek, controller)
  EnergySpec energy;
};

/// What every switch-over costs even with no page left to send (docs/scenario.md, from docs/testbed.md).
struct SwitchoverSpec {
  double device_state_bytes = 0;  ///< sent while the guest is paused, after the last pages
  double resume_s           = 0;  ///< destination loads the state and resumes the vCPUs
};

struct MigrationSpec {
  std::string policy;
  std::string label;  ///< a policy variant's label (/migration/label), empty for a plain policy
  PolicyParams params;
  MigrationLimits limits;
  double start_s      = 0;  ///< guest run time before migration starts
  int streams         = 0;  ///< concurrent LAN streams (like QEMU multifd channels)
  double chunk_bytes  = 0;  ///< size of one transfer on a stream
  /// false (QEMU): the stop-and-copy round and post-copy are sent at the path's rate, whatever the
  /// caps; true (Xen): the scenario's bandwidth_cap and a policy's rate cap hold there too.
  bool cap_final_copy = false;
  /// The most one LAN stream's migration thread can process, bytes/s (copying, checksumming);
  /// 0 = no limit. Holds whatever the caps, in every round and post-copy (docs/model.md).
  double stream_cpu_Bps = 0;
  SwitchoverSpec switchover;

  /// The `policy` column of every output: the variant's label, else the policy name.
  const std::string& display_name() const { return label.empty() ? policy : label; }
};

struct Scenario {
  std::string name;
  std::string vm_name = "vm";  ///< the VM's name within the scenario
  std::string origin;  ///< the file it came from, or "built-in default"
  uint64_t seed = 0;
  PlatformSpec platform;
  MemoryLayout memory;
  DirtyingSpec dirtying;
  std::string io_profile;
  IoWorkloadSpec io;
  double io_depth = 0;  ///< outstanding guest IO requests: misses are served this many at a time
  MigrationSpec migration;
  double sample_interval_s = 0;
  double observe_after_s   = 0;  ///< the guest keeps running (and is measured) this long after migration
  double baseline_window_s = 0;  ///< IO baseline: mean throughput over this window before migration
  /// Host evacuation: the VMs to migrate (each a complete scenario sharing this one's platform);
  /// empty for the usual single VM, which is this scenario itself.
  std::vector<Scenario> vms;
  std::string evacuation;  ///< sequential, parallel or batch
  int evacuation_batch = 0;  ///< batch: how many VMs migrate at once
  /// A data centre (docs/datacentre.md): its platform, shared by the VMs, and the plan run on it;
  /// null for the two-host platform of /platform.
  std::shared_ptr<const DatacentreSpec> datacentre;
  PlanSpec plan;
  /// A data centre's consolidation (docs/consolidation.md); null without one. With it, `vms` holds one
  /// migration template per VM type, not the VMs themselves.
  std::shared_ptr<const ConsolidationSpec> consolidation;
  size_t host      = 0;  ///< a data centre's VM: its host (index into datacentre->hosts)
  double cpu_cores = 0;  ///< a data centre's VM: the cores its guest keeps busy
  nlohmann::json resolved;  ///< the scenario with every default filled in
  /// The kind (size, rate, duration) of each quantity setting, by JSON pointer; /vms entries not included.
  std::map<std::string, Quantity> quantity_kinds;
};

}  // namespace migsim
