// Closed forms a validation case can compare the simulator against, computed from the run's own
// inputs (the scenario, and the nominal path rates of the platform it built). All assume nothing else
// on the links, the CM02 network model and no latency; docs/validation.md derives them.
//
//  - precopy-sequential: pre-copy of M bytes at B with sequential dirtying at D (no page written twice
//    before all were): V_0 = M, V_{i+1} = min(M, V_i D / B), rounds of V_i / B, stopped by precopy's
//    rules (V <= B x downtime_limit, max_rounds, max_bytes_factor x M, max_time); the sum is
//    M (1 - r^(n+1)) / (1 - r) with r = D / B (Clark et al. 2005).
//  - precopy-uniform: the same with uniform random dirtying, whose distinct pages saturate:
//    V_{i+1} = M (1 - exp(-D (V_i / B) / M)). Exact in expectation only.
//  - san-restore: T = T_map + max((M - C) / B_lan, C / B_san) with nothing dirtied (so no downtime),
//    T_map = map_time_per_GiB x C / GiB (Akiyama et al. 2014).
//  - san-adaptive: T = max(M / (B_lan + B_san), (M - C) / B_lan) with free mapping (Akiyama et al. 2016).
#pragma once

#include "sim/engine/run_result.hpp"
#include "sim/scenario/scenario.hpp"

#include <map>
#include <string>

namespace migsim {

/// The model's metrics (total_time, downtime, lan_bytes, san_bytes, moved_bytes, live_rounds) for `scenario`, whose
/// run reported the nominal path rates in `run`. Throws std::invalid_argument for an unknown model.
std::map<std::string, double> analytic_reference(const std::string& model, const Scenario& scenario,
                                                 const RunResult& run);

/// The models' names, for error messages.
const char* analytic_model_names();

}  // namespace migsim
