#include "sim/cli/validate_suite_command.hpp"

#include "build_info.hpp"
#include "sim/cli/option_checks.hpp"
#include "sim/validation/validation_suite.hpp"

#include <CLI/CLI.hpp>


#include <algorithm>
#include <cstdio>
#include <ctime>

namespace migsim {

ValidateSuiteCommand::ValidateSuiteCommand(CLI::App& app)
{
  command_ = app.add_subcommand("validate-suite",
                                "compare migsim with published measurements, closed forms and SimGrid's plugin");
  command_->add_option("dir", dir_, "folder of *.validation.json case files")->capture_default_str();
  command_->add_option("--case", cases_, "run only this case (repeatable)");
  add_jobs_option(*command_, jobs_);
}

bool ValidateSuiteCommand::chosen() const
{
  return command_->parsed();
}

int ValidateSuiteCommand::run() const
{
  // Every case is read and run before anything is printed: a bad sidecar leaves stdout empty.
  const std::time_t now    = std::time(nullptr);
  const SuiteReport report = run_validation_suite(dir_, cases_, jobs_);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M", std::localtime(&now));
  std::printf("migsim %s (commit %s, SimGrid %s), validate-suite %s, %s\n\n", build_info::version,
              build_info::git_commit, build_info::simgrid_version, dir_.c_str(), date);
  print_validation_table(report, stdout);
  return validation_exit_status(report);
}

}  // namespace migsim
