// One simulated live migration on SimGrid: builds the platform, runs the guest, asks the policy for a
// plan before every round and carries it out (LAN streams from the source, SAN restore at the
// destination, in parallel), samples throughputs, and returns the metrics. SimGrid allows one
// simulation per process: call this in a fresh process (see isolated_run.hpp).
#pragma once

#include "sim/engine/run_result.hpp"
#include "sim/scenario/scenario.hpp"

namespace migsim {

RunResult simulate_migration(const Scenario& scenario);

}  // namespace migsim
