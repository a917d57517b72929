#include "sim/cli/sweep_command.hpp"

#include "sim/cli/command_error.hpp"
#include "sim/cli/option_checks.hpp"
#include "sim/output/result_writer.hpp"
#include "sim/scenario/json_file.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/sweep/slurm_script.hpp"
#include "sim/sweep/sweep_merge.hpp"
#include "sim/sweep/sweep_plan.hpp"
#include "sim/sweep/sweep_runner.hpp"

#include <CLI/CLI.hpp>


#include <chrono>
#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;

namespace migsim {

namespace {

SweepPlan plan_sweep(const std::string& sweep_file)
{
  return expand_sweep(load_sweep_spec(sweep_file));
}

void print_merge(const SweepMergeReport& m, const std::string& dir, bool quiet)
{
  if (quiet)
    return;
  std::printf("merged %zu runs (%zu with a result, %zu failed, %zu not run): %s/summary.csv\n", m.runs, m.with_result,
              m.failed, m.missing, dir.c_str());
}

int merge_status(const SweepMergeReport& m)
{
  return m.failed + m.missing == 0 ? exit_ok : exit_some_failed;
}

}  // namespace

SweepCommand::SweepCommand(CLI::App& app)
{
  sweep_ = app.add_subcommand("sweep", "many scenarios from a sweep file: plan, run (locally or on Slurm), merge");
  sweep_->require_subcommand(0, 1);
  sweep_->add_option("sweep_file", sweep_file_, "sweep file (JSON); see docs/sweeps.md");
  sweep_->add_option("--out", dir_, "sweep folder (must not exist, be empty, or hold the plan of this same sweep)");
  add_jobs_option(*sweep_, jobs_);
  add_timeout_option(*sweep_, timeout_s_, "run may take");
  sweep_->add_flag("--quiet", quiet_, "no progress bar and no summary lines");

  plan_ = sweep_->add_subcommand("plan", "expand a sweep file into DIR/plan.json, plan.csv and runs/NNNNNN/scenario.json");
  plan_->add_option("sweep_file", sweep_file_, "sweep file (JSON)")->required();
  plan_->add_option("--out", dir_, "plan folder; must not exist or be empty")->required();

  run_ = sweep_->add_subcommand("run", "run the planned runs without a result, each in its own process");
  run_->add_option("dir", dir_, "plan folder")->required();
  run_->add_option("--range", range_, "runs A to B-1 only (A:B, A: or :B; B is clamped to the number of runs)");
  add_jobs_option(*run_, jobs_);
  add_timeout_option(*run_, timeout_s_, "run may take");
  run_->add_flag("--quiet", quiet_, "no progress bar and no summary line");

  merge_ = sweep_->add_subcommand("merge", "collect the results into DIR/summary.csv, timeseries.csv, rounds.csv, sweep.json");
  merge_->add_option("dir", dir_, "plan folder")->required();
  merge_->add_flag("--quiet", quiet_, "no summary line");

  slurm_ = sweep_->add_subcommand("slurm", "write DIR/slurm.sh, a Slurm job array over chunks of runs; optionally submit it");
  slurm_->add_option("dir", dir_, "plan folder (on a filesystem the compute nodes share)")->required();
  slurm_->add_option("--chunk", chunk_, "runs per array task (default 50, more to keep at most 1000 tasks)")
      ->check(whole_number_check());
  slurm_->add_option("--cpus-per-task", cpus_per_task_, "CPUs of each array task, and its --jobs")->check(whole_number_check());
  slurm_->add_option("--partition", slurm_options_.partition, "Slurm partition");
  slurm_->add_option("--account", slurm_options_.account, "Slurm account charged for the array");
  slurm_->add_option("--time", slurm_options_.time_limit, "time limit of each array task (sbatch --time)");
  add_timeout_option(*slurm_, timeout_s_, "run may take");
  slurm_->add_option("--mem", slurm_options_.memory, "memory of each array task (sbatch --mem, e.g. 2G)");
  slurm_->add_option("--sbatch-option", slurm_options_.sbatch_options,
                     "another #SBATCH line, e.g. --sbatch-option=--qos=short (repeatable)");
  slurm_->add_option("--setup", slurm_options_.setup_lines,
                     "a shell line run before the runs, e.g. --setup 'module load simgrid' (repeatable)");
  slurm_->add_option("--prefix", slurm_options_.command_prefix,
                     "put before the migsim command, e.g. --prefix 'apptainer exec migsim.sif'");
  slurm_->add_flag("--submit", submit_, "submit it with sbatch");
  slurm_->add_flag("--wait", wait_, "submit, wait until the array has ended (sbatch --wait), then merge");
  slurm_->add_flag("--quiet", quiet_, "print only errors");
  // After the subcommands: they would inherit it.
  sweep_->footer("Without a subcommand: `sweep SWEEP.json --out DIR` plans, runs and merges (and resumes an\n"
                 "interrupted sweep in DIR). Exit status 3: some runs failed (see DIR/sweep.json).");
}

bool SweepCommand::chosen() const
{
  return sweep_->parsed();
}

int SweepCommand::run() const
{
  if (plan_->parsed())
    return plan();
  if (run_->parsed())
    return run_range();
  if (merge_->parsed())
    return merge();
  if (slurm_->parsed())
    return slurm();
  if (sweep_file_.empty())
    throw InputError("sweep: give a sweep file (`migsim sweep SWEEP.json --out DIR`) or a subcommand: plan, run, merge, slurm");
  if (dir_.empty())
    throw InputError("sweep: --out DIR is required");
  return all_in_one();
}

int SweepCommand::plan() const
{
  const SweepPlan p = plan_sweep(sweep_file_);
  check_output_dir_free(dir_);
  write_plan(p, dir_);
  std::printf("planned %zu runs of sweep \"%s\" in %s\n", p.runs.size(), p.name.c_str(), dir_.c_str());
  return exit_ok;
}

int SweepCommand::run_range() const
{
  const SweepPlan p = read_plan(dir_);
  SweepRunOptions options;
  if (!range_.empty())
    std::tie(options.first, options.last) = parse_run_range(range_, p.runs.size());
  options.jobs           = jobs_;
  options.progress       = !quiet_;
  options.wall_timeout_s = timeout_s_;
  const SweepRunReport r = run_sweep(dir_, p, options);
  if (!quiet_)
    std::printf("runs %llu to %llu of %zu: %zu already done, %zu run now, %zu failed%s\n",
                static_cast<unsigned long long>(options.first),
                static_cast<unsigned long long>(std::min<uint64_t>(options.last, p.runs.size())), p.runs.size(), r.skipped,
                r.ran, r.failed,
                r.done_elsewhere ? (", " + std::to_string(r.done_elsewhere) + " done meanwhile by another sweep").c_str() : "");
  return r.failed ? exit_some_failed : exit_ok;
}

int SweepCommand::merge() const
{
  const SweepPlan p = read_plan(dir_);
  const SweepMergeReport m = merge_sweep(dir_, p);
  print_merge(m, dir_, quiet_);
  return merge_status(m);
}

int SweepCommand::slurm() const
{
  const SweepPlan p = read_plan(dir_);
  SlurmOptions options  = slurm_options_;
  options.chunk         = chunk_;
  options.cpus_per_task = cpus_per_task_;
  options.run_timeout_s = timeout_s_;
  try {
    check_slurm_options(options);
  } catch (const std::invalid_argument& e) {
    throw InputError(std::string("sweep slurm: ") + e.what());
  }
  check_slurm_paths(dir_, current_executable());
  if (const std::string why = node_local_reason(dir_); !why.empty() && !quiet_)
    std::fprintf(stderr, "migsim: warning: %s: %s, which the nodes of a cluster do not share; use a shared folder "
                         "unless the cluster has one node\n", dir_.c_str(), why.c_str());
  const SlurmScript script = write_slurm_script(dir_, p, options, current_executable());
  if (!quiet_)
    std::printf("wrote %s: %llu array tasks of at most %llu runs\n", script.path.c_str(),
                static_cast<unsigned long long>(script.tasks), static_cast<unsigned long long>(script.chunk));
  if (!submit_ && !wait_)
    return exit_ok;
  std::fflush(stdout);
  const auto start  = std::chrono::steady_clock::now();
  const int status = submit_slurm_script(script.path, wait_, [&](const std::string& job) {
    if (!quiet_)
      std::printf("submitted job array %s%s\n", job.c_str(), wait_ ? "; waiting for it to end" : "");
    std::fflush(stdout);
  });
  if (!wait_) {
    if (status != 0)
      throw std::runtime_error("sbatch failed with exit status " + std::to_string(status));
    return exit_ok;
  }
  if (!quiet_)
    std::printf("job array ended after %.1f s (sbatch exit status %d)\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), status);
  // Merge whatever the tasks left: failed runs show in sweep.json and give exit status 3.
  const SweepMergeReport m = merge_sweep(dir_, p);
  print_merge(m, dir_, quiet_);
  if (m.with_result == 0 && m.runs > 0 && status != 0)
    throw std::runtime_error("sbatch --wait failed with exit status " + std::to_string(status) +
                             " and no run has a result (see " + dir_ + "/logs)");
  return merge_status(m);
}

int SweepCommand::all_in_one() const
{
  const SweepPlan p = plan_sweep(sweep_file_);
  // Resume when DIR holds this very plan; never touch a folder that holds anything else.
  const fs::path plan_file = fs::path(dir_) / "plan.json";
  std::error_code ec;
  if (fs::exists(plan_file, ec)) {
    if (read_text_file(plan_file.string(), max_data_file_bytes, "sweep plan") != plan_json_text(p))
      throw InputError("\"" + dir_ + "\" holds another sweep's plan (or one made by another version); choose another --out");
    if (!quiet_)
      std::printf("resuming the sweep in %s\n", dir_.c_str());
  } else {
    check_output_dir_free(dir_);
    write_plan(p, dir_);
    if (!quiet_)
      std::printf("planned %zu runs of sweep \"%s\" in %s\n", p.runs.size(), p.name.c_str(), dir_.c_str());
  }
  std::fflush(stdout);
  SweepRunOptions options;
  options.jobs           = jobs_;
  options.progress       = !quiet_;
  options.wall_timeout_s = timeout_s_;
  run_sweep(dir_, p, options);
  const SweepMergeReport m = merge_sweep(dir_, p);
  print_merge(m, dir_, quiet_);
  return merge_status(m);
}

}  // namespace migsim
