// Runs simulations each in its own child process: SimGrid allows one engine per process, and a crash
// or runaway in one run then cannot take the others (or the caller's output) with it. A child that
// outlives its wall-clock budget is killed; one whose parent dies is killed too (PR_SET_PDEATHSIG).
#pragma once

#include "sim/engine/run_result.hpp"
#include "sim/scenario/scenario.hpp"

#include <optional>
#include <string>
#include <vector>

namespace migsim {

/// The CLI's default for --timeout: generous, since a long but finite run is no error.
constexpr double default_wall_timeout_s = 600;

struct RunOutcome {
  std::optional<RunResult> result;
  std::string input_error;     ///< a problem with the scenario found while building it (exit status 2)
  std::string internal_error;  ///< a bug, a crash or a wall timeout (exit status 1)
  bool wall_timeout = false;   ///< killed after wall_timeout_s; internal_error then starts "wall_timeout:"
};

/// "wall_timeout: the WHAT was still running after S s of wall-clock time and was stopped (raise OPTION, or
/// bound the run with ...)": the line for a simulation (or a sweep's run) stopped by its wall-clock limit.
std::string wall_timeout_error(const std::string& what, double seconds, const std::string& option);

/// Simulates every scenario, at most `jobs` processes at a time, each killed after `wall_timeout_s`
/// seconds of wall-clock time (0 = never); outcomes in the order given.
std::vector<RunOutcome> run_isolated(const std::vector<Scenario>& scenarios, int jobs, double wall_timeout_s = 0);

/// Declares this process a throwaway made for one run (a sweep's run, sim/sweep/sweep_runner.hpp), whose
/// parent records a crash and which keeps its own wall-clock limit: run_isolated then simulates a single
/// scenario right here instead of forking once more (one process per simulation, not two).
void simulate_in_this_process();

}  // namespace migsim
