// A data centre as a scenario describes it (`/datacentre`, docs/datacentre.md): racks of hosts, each
// rack's top-of-rack switch and uplink, a spine joining the racks, storage arrays each serving a set of
// racks, and the plan of migrations to run on it (`/plan`). Read and checked by datacentre_loader.cpp;
// the engine builds the SimGrid platform from it (datacentre_platform.hpp) and runs the plan
// (plan_executor.hpp). Plain data, no SimGrid.
#pragma once

#include "models/consolidation/power_curve.hpp"

#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace migsim {

/// One kind of host: what it computes, holds and draws.
struct HostType {
  double cores         = 0;
  double core_mips     = 0;  ///< per core: what a consolidation's VMs ask for is in MIPS
  double memory_bytes  = 0;
  double nic_Bps       = 0;  ///< its data-network interface, each direction (full duplex)
  double nic_latency_s = 0;
  double san_Bps       = 0;  ///< its storage-network interface (storage_network "separate")
  double idle_W        = 0;  ///< power on and idle
  double max_W         = 0;  ///< power with every core busy
  double off_W         = 0;  ///< power switched off
  /// Power against utilisation: the host's SPECpower curve when it has one (a `model` or its
  /// `power_curve`), else the line from idle_W to max_W.
  PowerCurve power;
  bool has_power_curve = false;
  double watts(double utilisation) const
  {
    if (has_power_curve)
      return power.watts(utilisation);
    return idle_W + (max_W - idle_W) * (utilisation < 1 ? utilisation : 1);
  }
};

struct RackGroup {
  int count = 0;  ///< racks alike
  int hosts = 0;  ///< hosts per rack
  HostType host;
  double uplink_Bps       = 0;  ///< the top-of-rack switch's uplink to the spine, each direction
  double uplink_latency_s = 0;
};

struct StorageArraySpec {
  std::string name;
  std::vector<int> racks;  ///< the racks whose VMs keep their disks here
  double bandwidth_Bps = 0;  ///< what the array serves, shared by all its traffic
  double latency_s     = 0;
};

struct DatacentreHost {
  std::string name;  ///< "rack<R>-host<H>"
  int rack = 0;
  const HostType* type = nullptr;  ///< into DatacentreSpec::groups
};

struct DatacentreSpec {
  std::vector<RackGroup> groups;
  double spine_Bps       = 0;  ///< one shared link for everything that crosses racks (or reaches the arrays)
  double spine_latency_s = 0;
  std::vector<StorageArraySpec> arrays;
  bool storage_shares_network = false;  ///< storage_network "shared": storage traffic over NICs, uplinks, spine

  // Derived by the loader:
  std::vector<DatacentreHost> hosts;  ///< every host, rack by rack
  std::vector<int> rack_group;        ///< the group of each rack
  std::vector<int> rack_array;        ///< the storage array of each rack
  std::map<std::string, size_t> host_index;

  size_t rack_count() const { return rack_group.size(); }
};

/// One migration of a plan.
struct PlannedMigration {
  size_t vm          = 0;  ///< index into Scenario::vms
  size_t destination = 0;  ///< index into DatacentreSpec::hosts
  double start_s     = 0;  ///< earliest start
  std::vector<size_t> after;  ///< migrations (indices into PlanSpec::migrations) that must end first
};

struct PlanSpec {
  std::vector<PlannedMigration> migrations;
  static constexpr int unlimited = std::numeric_limits<int>::max();
  int max_running         = unlimited;  ///< at once in the whole data centre
  int max_per_source      = unlimited;  ///< at once leaving one host
  int max_per_destination = unlimited;  ///< at once arriving at one host
  int max_per_rack        = unlimited;  ///< at once leaving or arriving at one rack
  bool switch_off_empty   = false;      ///< a host left empty by the plan is switched off
};

}  // namespace migsim
