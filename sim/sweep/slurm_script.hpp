// A sweep as a Slurm job array: DIR/slurm.sh, in which array task i runs the chunk of runs
// [i*K, (i+1)*K) with `migsim sweep run DIR --range A:B` (absolute paths, so any node of a cluster with
// a shared filesystem can run it). Chunks keep Slurm's cost per task (about a second of scheduling)
// small against the runs; since each run's result lands atomically in its own folder, the merged
// results equal those of a local `sweep run`. Submitting goes through `sbatch --parsable [--wait]`.
#pragma once

#include "sim/engine/isolated_run.hpp"
#include "sim/sweep/sweep_plan.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace migsim {

struct SlurmOptions {
  uint64_t chunk = 0;  ///< runs per array task; 0: 50, or more to keep the array at most 1000 tasks
  int cpus_per_task = 1;
  std::string partition;
  std::string account;
  std::string time_limit;                  ///< --time of each array task, e.g. "1:00:00"
  std::string memory;                      ///< --mem of each array task, e.g. "2G"
  std::vector<std::string> sbatch_options; ///< further "#SBATCH" lines, e.g. "--qos=short"
  std::vector<std::string> setup_lines;    ///< shell lines run before the runs, e.g. "module load simgrid"
  std::string command_prefix;              ///< put before migsim, e.g. "apptainer exec migsim.sif"
  double run_timeout_s = default_wall_timeout_s;  ///< each run's wall-clock limit (sweep run --timeout)
};

/// Throws std::invalid_argument naming the option when a value would break the script: a line break
/// in any of them (each becomes exactly one line of slurm.sh).
void check_slurm_options(const SlurmOptions& options);

/// Throws InputError when the plan folder `dir` (made absolute) or the binary `migsim` has a path that
/// slurm.sh cannot name safely: a line break or another control character would start a new line.
void check_slurm_paths(const std::string& dir, const std::string& migsim);

/// Why `dir` is probably not visible from other nodes (a tmpfs, or under /tmp, /var/tmp, /dev/shm), or
/// empty. A one-node cluster does not mind; a real cluster's tasks would find no plan there.
std::string node_local_reason(const std::string& dir);

struct SlurmScript {
  std::string path;
  uint64_t tasks = 0;
  uint64_t chunk = 0;
};

/// Writes DIR/slurm.sh (atomically) and creates DIR/logs for the tasks' output.
SlurmScript write_slurm_script(const std::string& dir, const SweepPlan& plan, const SlurmOptions& options,
                               const std::string& migsim);

/// Runs `sbatch --parsable [--wait] SCRIPT`; `on_submitted` gets the job id as soon as sbatch prints it.
/// Returns sbatch's exit status (with --wait: the highest exit status of the array's tasks).
int submit_slurm_script(const std::string& script, bool wait, const std::function<void(const std::string&)>& on_submitted);

/// 'text' quoted for a POSIX shell.
std::string shell_quote(const std::string& text);

}  // namespace migsim
