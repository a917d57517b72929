// Collects the per-run results of a sweep into tidy files in the plan folder: summary.csv (one row per
// run, or per VM of a run with several: identity, varied values in SI base units, then the per-run
// summary columns), timeseries.csv and rounds.csv (the per-run rows with a run_id column first) and
// sweep.json (provenance and failures). The four are replaced as one set (ReplacedFileSet): they live
// in DIR/merged, a link to the folder of the newest set, and DIR/summary.csv and the others are links
// into it. One merge at a time, under the plan's merge lock (plan_locks.hpp).
// Only whole result folders count (is_whole_result); every per-run file is read with the checked
// reader (json_file.hpp: regular files within size and line bounds).
// Rows follow run ids and cells are copied verbatim, so the output is byte-identical for the same
// results whatever order or machine they were produced in. docs/sweeps.md lists every column.
#pragma once

#include "sim/sweep/sweep_plan.hpp"

#include <string>

namespace migsim {

struct SweepMergeReport {
  size_t runs        = 0;
  size_t with_result = 0;
  size_t failed      = 0;  ///< runs with an error.json and no result
  size_t missing     = 0;  ///< runs never run (or still running)
};

SweepMergeReport merge_sweep(const std::string& dir, const SweepPlan& plan);

}  // namespace migsim
