// Runs a range of a sweep plan's runs, each in its own process (`migsim run` on the run's scenario.json:
// SimGrid allows one simulation per process, and a crash then takes only its own run), at most `jobs`
// at a time. The sweep process is the worker that has loaded everything once: each run is a fresh fork
// of it that calls main's body (registered by set_in_process_main) on the run's command line instead of
// exec'ing the binary anew, and simulates in that same process (no dynamic loading of libsimgrid and
// the ns-3 libraries per run, and no second process: docs/performance.md). A run still going after
// the wall-clock limit stops itself with a wall_timeout message, as `migsim run --timeout` does.
// What a run prints is kept in memory and becomes its output.txt when it ends, if there is anything.
// A run whose result/ folder holds the whole result (is_whole_result, result_writer.hpp) is done and
// skipped, so a killed sweep resumes where it stopped. A run is locked while it runs (plan_locks.hpp): a second sweep on the
// same plan leaves it alone, waits for it, and runs it itself only if it then has no whole result.
// Results appear atomically (write_results renames a whole folder into place); a run that fails or
// crashes gets an error.json, written atomically too, and the sweep goes on.
#pragma once

#include "sim/engine/isolated_run.hpp"
#include "sim/sweep/sweep_plan.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>

namespace migsim {

struct SweepRunOptions {
  uint64_t first = 0;                                     ///< first run id of the range
  uint64_t last  = std::numeric_limits<uint64_t>::max();  ///< one past the last (clamped to the plan)
  int jobs       = 1;
  bool progress  = true;
  double wall_timeout_s = default_wall_timeout_s;  ///< per run; 0 = no limit
};

struct SweepRunReport {
  size_t in_range = 0;
  size_t skipped  = 0;  ///< already done before this call
  size_t done_elsewhere = 0;  ///< done meanwhile by another process that had them locked
  size_t ran      = 0;
  size_t failed   = 0;
};

SweepRunReport run_sweep(const std::string& dir, const SweepPlan& plan, const SweepRunOptions& options);

/// "A:B" (runs A to B-1), "A:" or ":B"; B is clamped to `count`. Throws InputError.
std::pair<uint64_t, uint64_t> parse_run_range(const std::string& text, uint64_t count);

/// main()'s body: a run of a sweep calls it in a forked child as if the binary had been started with
/// this argv (argv[0] being the binary), and exits with what it returns.
using MainFunction = int (*)(int argc, char** argv);
void set_in_process_main(MainFunction body);

/// Absolute path of the running binary (from /proc/self/exe).
std::string current_executable();

}  // namespace migsim
