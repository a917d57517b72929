#include "sim/cli/run_command.hpp"

#include "models/policies/policy_registry.hpp"
#include "sim/cli/command_error.hpp"
#include "sim/cli/option_checks.hpp"
#include "sim/engine/isolated_run.hpp"
#include "sim/output/result_writer.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/plausibility.hpp"
#include "sim/scenario/policy_variant.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>

namespace migsim {

namespace {

std::string default_output_dir(const std::string& scenario_name)
{
  std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  std::string base = "results/" + scenario_name + "-" + stamp;
  std::string dir  = base;
  for (int i = 2; std::filesystem::exists(dir); ++i)
    dir = base + "-" + std::to_string(i);
  return dir;
}

void print_table(const std::vector<Scenario>& scenarios, const std::vector<RunResult>& results, const std::string& dir)
{
  int width = 20;  // wider for a long variant label, so that the columns stay aligned
  for (const auto& s : scenarios)
    width = std::max(width, static_cast<int>(s.migration.label.size()) + 1);
  std::printf("%-*s %-12s %10s %12s %10s %10s %7s %13s\n", width, "policy", "status", "total_s", "downtime_ms",
              "LAN_GiB", "SAN_GiB", "rounds", "io_penalty_s");
  auto row = [width](const RunResult& r, const std::string& label) {
    char penalty[32] = "-";  // no guest IO (or no baseline): not defined
    if (r.has_io && r.io_baseline_Bps > 0)
      std::snprintf(penalty, sizeof penalty, "%.2f", r.io_penalty_s);
    std::printf("%-*s %-12s %10.3f %12.1f %10.3f %10.3f %7d %13s\n", width, label.c_str(), r.status.c_str(), r.total_time_s,
                r.downtime_s * 1e3, static_cast<double>(r.lan_bytes) / (1 << 30),
                static_cast<double>(r.san_bytes) / (1 << 30), r.rounds, penalty);
  };
  for (const auto& r : results) {
    for (const auto& vm : r.vms)  // host evacuation: each VM, then the plan
      row(vm, "  " + vm.vm + ": " + vm.policy);
    row(r, r.policy);
  }
  std::printf("results: %s\n", dir.c_str());
}

}  // namespace

RunCommand::RunCommand(CLI::App& app, std::string command_line)
    : command_(app.add_subcommand("run", "simulate a scenario (the built-in default when no file is given)"))
    , command_line_(std::move(command_line))
    , timeout_s_(default_wall_timeout_s)
{
  command_->add_option("scenario", file_, "scenario JSON file");
  command_->add_option("--policy", policies_,
                       "policy to run, or a variant NAME:PARAM=VALUE,... (repeat to compare on the same scenario and seed)");
  add_set_option(*command_, overrides_);
  command_->add_option("--out", out_, "output folder (default: results/NAME-TIME); must not exist or be empty");
  add_jobs_option(*command_, jobs_);
  add_timeout_option(*command_, timeout_s_, "simulation may run");
  command_->add_flag("--quiet", quiet_, "print nothing on success");
}

bool RunCommand::chosen() const
{
  return command_->parsed();
}

int RunCommand::run() const
{
  // Every variant is checked before any run; the policy applies first, then --set.
  std::vector<Scenario> scenarios;
  if (policies_.empty())
    scenarios.push_back(load_scenario(file_, overrides_));
  for (const auto& p : policies_) {
    PolicyVariant variant;
    try {
      variant = parse_policy_variant(p);
    } catch (const PolicyVariantError& e) {
      throw InputError(std::string("--policy: ") + e.what());
    }
    scenarios.push_back(load_scenario_variant(file_, overrides_, variant));
  }
  if (!quiet_)
    print_plausibility_warnings(scenarios.front());
  const Scenario& base = scenarios.front();
  const std::string out = out_.empty() ? default_output_dir(base.name) : out_;
  check_output_dir_free(out);
  std::fflush(nullptr);
  const std::vector<RunOutcome> outcomes = run_isolated(scenarios, jobs_, timeout_s_);
  for (const auto& o : outcomes)
    if (!o.input_error.empty())
      throw InputError(o.input_error);
  for (size_t i = 0; i < outcomes.size(); ++i)
    if (outcomes[i].wall_timeout)
      throw RunFailure("policy " + scenarios[i].migration.display_name() + ": " + outcomes[i].internal_error);
  for (size_t i = 0; i < outcomes.size(); ++i)
    if (!outcomes[i].internal_error.empty())
      throw std::runtime_error("policy " + scenarios[i].migration.display_name() + ": " + outcomes[i].internal_error);
  std::vector<RunResult> results;
  for (const auto& o : outcomes)
    results.push_back(*o.result);
  std::vector<RunRecord> records;
  for (size_t i = 0; i < results.size(); ++i)
    records.push_back({&scenarios[i], &results[i]});
  write_results(out, records, command_line_);
  if (!quiet_)
    print_table(scenarios, results, out);
  return 0;
}

}  // namespace migsim
