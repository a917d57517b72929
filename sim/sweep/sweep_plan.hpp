// A sweep expanded into a numbered list of runs, each with its seed, policy and varied values; each
// run's fully resolved scenario is handed on as it is expanded, not kept (a million runs would not fit).
// expand_sweep() validates every run's scenario with the scenario loader; write_plan() writes the plan
// folder (plan.json, plan.csv, runs/NNNNNN/scenario.json) as it expands, and puts it in place whole or
// not at all. `sweep run`, `sweep merge` and `sweep slurm` read it back with read_plan().
#pragma once

#include "sim/sweep/sweep_spec.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace migsim {

struct PlannedRun {
  uint64_t id          = 0;
  uint64_t seed        = 0;
  uint64_t replication = 0;
  std::string policy;
  std::string scenario_name;
  std::vector<nlohmann::json> values;  ///< one per SweepPlan::parameters, as written in the sweep file
  std::vector<std::string> cells;      ///< the same values as CSV cells, numbers in SI base units
  nlohmann::json scenario;             ///< resolved scenario; only in a plan fresh from expand_sweep()
};

struct SweepPlan {
  std::string sweep_file;               ///< absolute path of the sweep file
  std::string name;
  nlohmann::ordered_json sweep;         ///< the sweep file as written
  std::vector<std::string> parameters;  ///< varied settings (JSON pointers): grid, then zip, then random
  std::vector<std::string> policies;
  uint64_t replications = 1;
  uint64_t base_seed    = 0;
  SeedRule seed_rule    = SeedRule::SplitMix64;
  std::vector<PlannedRun> runs;
};

/// The most runs one sweep may have (docs/sweeps.md): a plan.json of a few hundred MB.
constexpr uint64_t max_sweep_runs = 1'000'000;

/// How many runs `spec` expands to (a double: a huge grid must not overflow before it is refused).
double planned_run_count(const SweepSpec& spec);

/// Receives each run as it is expanded, with its resolved scenario, which the plan does not keep.
using PlannedRunSink = std::function<void(const PlannedRun&, const nlohmann::json& scenario)>;

/// Expands and validates: throws ScenarioError (naming the sweep file and the JSON path of the value at
/// fault where it can) if any run's scenario is invalid. Each run's scenario goes to `each_run`, so that
/// the plan holds a few hundred bytes per run, not its scenario (about 10 KB).
SweepPlan expand_sweep(const SweepSpec& spec, const PlannedRunSink& each_run);

/// The same, with each run's scenario kept in PlannedRun::scenario (tests, small sweeps).
SweepPlan expand_sweep(const SweepSpec& spec);

/// Expands `spec` into the plan folder `dir` (must not exist, or be empty), each run's scenario.json
/// written as it is expanded, through a temporary sibling folder that an invalid run leaves unseen.
SweepPlan write_plan(const SweepSpec& spec, const std::string& dir);

/// The text of plan.json: equal texts mean the same runs.
std::string plan_json_text(const SweepPlan& plan);

/// Reads DIR/plan.json (scenarios stay in the run folders). Throws ScenarioError when it is missing or bad.
SweepPlan read_plan(const std::string& dir);

/// Appends what describes the sweep (sweep_file, name, parameters, policies, replications, base_seed,
/// seed_rule) to `document`: plan.json and the merged sweep.json say it the same way.
void add_plan_description(nlohmann::ordered_json& document, const SweepPlan& plan);

/// "runs/000042": the folder of one run inside the plan folder (6 digits, more for huge sweeps).
std::string run_folder(const SweepPlan& plan, uint64_t id);
std::string run_folder(uint64_t run_count, uint64_t id);

/// A swept value as a CSV cell: numbers and quantity strings ("10MBps") in SI base units, other text as is.
std::string si_cell(const nlohmann::json& value);

}  // namespace migsim
