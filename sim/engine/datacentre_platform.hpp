// Builds the SimGrid platform of a data centre (docs/datacentre.md) and answers which hosts and links a
// migration uses. Each rack is a full-routing zone holding its hosts and two routers: its top-of-rack
// switch (data network) and its storage-network port; the racks and the storage arrays sit in a top
// full-routing zone. Routes:
//   host -> host, same rack:     NIC up, NIC down (the switch is non-blocking)
//   host -> host, other rack:    NIC up, uplink up, spine, uplink down, NIC down
//   array -> host (separate):    array, host's SAN port down    (a non-blocking storage fabric)
//   array -> host (shared):      array, spine, uplink down, NIC down
// NICs and uplinks are split-duplex (each direction its own bandwidth); the spine and each array are one
// link shared by all that crosses them. SimGrid shares every link by max-min among the flows crossing it.
#pragma once

#include "sim/engine/platform_builder.hpp"
#include "sim/scenario/datacentre_spec.hpp"

#include <simgrid/s4u/Host.hpp>

#include <string>
#include <vector>

namespace migsim {

class DatacentrePlatform {
public:
  /// Creates every zone, host, link and route; call once, after the Engine is created.
  explicit DatacentrePlatform(const DatacentreSpec& spec);

  simgrid::s4u::Host* host(size_t index) const { return hosts_[index]; }
  simgrid::s4u::Host* array_of_rack(int rack) const;
  /// The hosts a migration of a VM from `source` to `destination` uses: its disk is on the array of
  /// the source's rack.
  MigrationHosts migration_hosts(size_t source, size_t destination) const;
  /// The name of the narrowest link on the route (the first of equals): where a lone migration is held.
  std::string narrowest_link(size_t source, size_t destination) const;

private:
  const DatacentreSpec& spec_;
  std::vector<simgrid::s4u::Host*> hosts_;
  std::vector<simgrid::s4u::Host*> arrays_;
};

}  // namespace migsim
