// migsim: the command line. A thin layer over sim/: parse arguments with CLI11 (SimGrid never sees
// them), load and validate scenarios, run each policy in its own process, print and write results.
// Exit status: 0 done, 1 internal error or wall timeout, 2 bad input (nothing written); docs/errors.md.
#include "build_info.hpp"
#include "sim/engine/isolated_run.hpp"
#include "models/policies/policy_registry.hpp"
#include "sim/output/result_writer.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/cli/sweep_command.hpp"
#include "sim/cli/validate_suite_command.hpp"
#include "sim/sweep/sweep_runner.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>

namespace migsim {
namespace {

class InputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// A run that did not finish (wall_timeout): not a bug, but nothing to write either (exit status 1).
class RunFailure : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

std::string join_command_line(int argc, char** argv)
{
  std::string line;
  for (int i = 0; i < argc; ++i)
    line += (i ? " " : "") + std::string(argv[i]);
  return line;
}

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

void print_table(const std::vector<RunResult>& results, const std::string& dir)
{
  std::printf("%-20s %-12s %10s %12s %10s %10s %7s %13s\n", "policy", "status", "total_s", "downtime_ms", "LAN_GiB",
              "SAN_GiB", "rounds", "io_penalty_s");
  auto row = [](const RunResult& r, const std::string& label) {
    char penalty[32] = "-";  // no guest IO (or no baseline): not defined
    if (r.has_io && r.io_baseline_Bps > 0)
      std::snprintf(penalty, sizeof penalty, "%.2f", r.io_penalty_s);
    std::printf("%-20s %-12s %10.3f %12.1f %10.3f %10.3f %7d %13s\n", label.c_str(), r.status.c_str(), r.total_time_s,
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

int command_run(const std::string& file, const std::vector<std::string>& policies,
                const std::vector<std::string>& overrides, std::string out, int jobs, double timeout_s, bool quiet,
                const std::string& command_line)
{
  const Scenario base = load_scenario(file, overrides);
  std::vector<Scenario> scenarios;
  if (policies.empty())
    scenarios.push_back(base);
  for (const auto& p : policies) {
    try {
      PolicyRegistry::instance().find(p);
    } catch (const UnknownPolicy& e) {
      throw InputError(std::string("--policy: ") + e.what());
    }
    scenarios.push_back(load_scenario(file, overrides, p));
  }
  if (out.empty())
    out = default_output_dir(base.name);
  try {
    check_output_dir_free(out);
  } catch (const std::runtime_error& e) {
    throw InputError(e.what());
  }
  std::fflush(nullptr);
  const std::vector<RunOutcome> outcomes = run_isolated(scenarios, jobs, timeout_s);
  for (const auto& o : outcomes)
    if (!o.input_error.empty())
      throw InputError(o.input_error);
  for (size_t i = 0; i < outcomes.size(); ++i)
    if (outcomes[i].wall_timeout)
      throw RunFailure("policy " + scenarios[i].migration.policy + ": " + outcomes[i].internal_error);
  for (size_t i = 0; i < outcomes.size(); ++i)
    if (!outcomes[i].internal_error.empty())
      throw std::runtime_error("policy " + scenarios[i].migration.policy + ": " + outcomes[i].internal_error);
  std::vector<RunResult> results;
  for (const auto& o : outcomes)
    results.push_back(*o.result);
  std::vector<RunRecord> records;
  for (size_t i = 0; i < results.size(); ++i)
    records.push_back({&scenarios[i], &results[i]});
  write_results(out, records, command_line);
  if (!quiet)
    print_table(results, out);
  return 0;
}

int command_policies()
{
  for (const auto& p : PolicyRegistry::instance().all()) {
    std::printf("%-14s %s\n", p.name.c_str(), p.description.c_str());
    for (const auto& param : p.params)
      std::printf("%-14s   params/%s (default %s): %s\n", "", param.name.c_str(),
                  format_number(param.default_value).c_str(), param.description.c_str());
  }
  return 0;
}

// CLI11's PositiveNumber and NonNegativeNumber say "Value 0 not in range 0.000000 to 1797693...": these
// say what is expected.
const CLI::Validator whole_number_check(
    [](std::string& text) {
      const bool ok = !text.empty() && text.size() < 10 && text.find_first_not_of("0123456789") == std::string::npos &&
                      std::stol(text) > 0;
      return ok ? std::string() : "expected a whole number, 1 or more, got \"" + text + "\"";
    },
    "N");
const CLI::Validator seconds_check(
    [](std::string& text) {
      char* end      = nullptr;
      const double x = std::strtod(text.c_str(), &end);
      const bool ok  = end != text.c_str() && *end == '\0' && std::isfinite(x) && x >= 0;
      return ok ? std::string() : "expected a number of seconds, 0 or more (0: no limit), got \"" + text + "\"";
    },
    "SECONDS");

}  // namespace
}  // namespace migsim

// main's body; a sweep's runs call it in forked children (sim/sweep/sweep_runner.hpp).
static int migsim_main(int argc, char** argv)
{
  using namespace migsim;
  register_builtin_policies();
  CLI::App app{"migsim: discrete-event simulator of VM live-migration strategies (on SimGrid)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(build_info::version) + " (SimGrid " + build_info::simgrid_version + ")");

  std::string file, out;
  std::vector<std::string> policies, overrides;
  int jobs        = static_cast<int>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
  double timeout_s = default_wall_timeout_s;
  bool quiet      = false;
  auto* run  = app.add_subcommand("run", "simulate a scenario (the built-in default when no file is given)");
  run->add_option("scenario", file, "scenario JSON file");
  run->add_option("--policy", policies, "policy to run (repeat to compare policies on the same scenario and seed)");
  run->add_option("--set", overrides, "override a setting: /json/pointer=value (repeatable)");
  run->add_option("--out", out, "output folder (default: results/NAME-TIME); must not exist or be empty");
  run->add_option("--jobs", jobs, "simulations run at once")->check(whole_number_check);
  run->add_option("--timeout", timeout_s, "wall-clock seconds one simulation may run before it is stopped (0: no limit)")
      ->check(seconds_check)
      ->capture_default_str();
  run->add_flag("--quiet", quiet, "print nothing on success");

  std::vector<std::string> files;
  auto* validate = app.add_subcommand("validate", "check scenario files without running them");
  validate->add_option("scenarios", files, "scenario JSON files")->required();
  validate->add_option("--set", overrides, "override a setting: /json/pointer=value (repeatable)");

  auto* policies_cmd = app.add_subcommand("policies", "list the registered policies");
  const auto sweep_cmd = add_sweep_command(app);
  const auto validate_suite_cmd = add_validate_suite_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    if (*run)
      return command_run(file, policies, overrides, out, jobs, timeout_s, quiet, join_command_line(argc, argv));
    if (*validate) {
      for (const auto& f : files)
        load_scenario(f, overrides);
      for (const auto& f : files)
        std::printf("%s: ok\n", f.c_str());
      return 0;
    }
    if (*policies_cmd)
      return command_policies();
    if (sweep_cmd->chosen())
      return sweep_cmd->run();
    if (validate_suite_cmd->chosen())
      return validate_suite_cmd->run();
  } catch (const ScenarioError& e) {
    std::fprintf(stderr, "migsim: error: %s\n", one_line(e.what()).c_str());
    return 2;
  } catch (const InputError& e) {
    std::fprintf(stderr, "migsim: error: %s\n", one_line(e.what()).c_str());
    return 2;
  } catch (const RunFailure& e) {
    std::fprintf(stderr, "migsim: error: %s\n", one_line(e.what()).c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "migsim: internal error: %s\n", one_line(e.what()).c_str());
    return 1;
  }
  return 0;
}

int main(int argc, char** argv)
{
  migsim::set_in_process_main(migsim_main);
  return migsim_main(argc, argv);
}
