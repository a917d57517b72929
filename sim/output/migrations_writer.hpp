// The outputs of a data centre's plan (docs/outputs.md): migrations.csv, one row per migration of the
// plan, and plan_summary.csv, one row per plan (makespan, peak concurrency, bytes, energy). Written beside
// summary.csv when a run has a /datacentre; other runs write neither.
#pragma once

#include "sim/output/result_writer.hpp"

#include <string>
#include <vector>

namespace migsim {

/// True when one of `runs` ran a data centre's plan.
bool has_datacentre_plan(const std::vector<RunRecord>& runs);
std::string migrations_csv(const std::vector<RunRecord>& runs);
std::string plan_csv(const std::vector<RunRecord>& runs);

}  // namespace migsim
