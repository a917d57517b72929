// Builds the SimGrid platform of a scenario: either from its own fields (source and destination hosts
// joined by the LAN; a storage host reached from each over its SAN link and the array's read link) or
// from a SimGrid XML file naming the hosts. Also selects the network model. Call once per process,
// after the Engine is created.
#pragma once

#include "sim/scenario/scenario.hpp"

#include <simgrid/s4u/Host.hpp>

namespace migsim {

struct MigrationHosts {
  simgrid::s4u::Host* source      = nullptr;
  simgrid::s4u::Host* destination = nullptr;
  simgrid::s4u::Host* storage     = nullptr;  ///< null when an XML platform names no storage host
  double lan_Bps = 0;                         ///< nominal bottleneck rate of the LAN route
  double lan_latency_s = 0;                   ///< one-way latency of the LAN route
  double san_Bps = 0;                         ///< nominal bottleneck rate of storage -> destination
};

/// Network model settings; must run before the platform is loaded.
void configure_network_model(const PlatformSpec& platform);
/// Builds the platform. A platform file that SimGrid 3.32 aborts or crashes on kills this process with a
/// plain signal (no handler's report); its parent then calls diagnose_platform_file.
MigrationHosts build_platform(const Scenario& scenario);

/// For a process that died building `scenario`'s platform: loads the file, and asks for the routes, in a
/// throwaway child, and throws the ScenarioError that names the problem (SimGrid's last message, or the
/// missing route) if that child dies too. Returns when the file is not to blame (or there is none).
void diagnose_platform_file(const Scenario& scenario);

}  // namespace migsim
