// SimGrid's own live-migration plugin (sg_vm_migrate, in the installed libsimgrid) as an independent
// reference: idle VMs migrated on an XML platform in a forked child process (SimGrid allows one engine
// per process), the same way SimGrid's example `cloud-migration` does. The plugin is a coarse
// pre-copy without page identity (dirtying follows guest CPU work; an idle VM dirties nothing) and a
// fixed 30 ms downtime target, so on idle VMs it is a network-model reference: what the same platform
// and model give for moving the same bytes.
#pragma once

#include "sim/validation/validation_case.hpp"

#include <sys/types.h>

#include <vector>

namespace migsim {

struct PluginRun {
  pid_t pid = -1;
  int fd    = -1;
};

/// Starts the plugin's migration of `setup` in a child process; returns at once.
PluginRun start_plugin_migration(const PluginSetup& setup);

/// Waits for the child; the migration time of each VM, in the order they were created. Throws
/// std::runtime_error if the child failed.
std::vector<double> finish_plugin_migration(const PluginRun& run);

}  // namespace migsim
