#include "sim/cli/validate_command.hpp"

#include "sim/cli/option_checks.hpp"
#include "sim/engine/platform_check.hpp"
#include "sim/scenario/plausibility.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>

namespace migsim {

ValidateCommand::ValidateCommand(CLI::App& app)
    : command_(app.add_subcommand("validate", "check scenario files without running them"))
{
  command_->add_option("scenarios", files_, "scenario JSON files")->required();
  add_set_option(*command_, overrides_);
}

bool ValidateCommand::chosen() const
{
  return command_->parsed();
}

int ValidateCommand::run() const
{
  std::vector<Scenario> scenarios;
  for (const auto& f : files_)
    scenarios.push_back(load_scenario(f, overrides_));
  for (const auto& s : scenarios)  // what only building the platform finds, as `run` would find it
    check_platform(s);
  for (const auto& s : scenarios)
    print_plausibility_warnings(s);
  for (const auto& f : files_)
    std::printf("%s: ok\n", f.c_str());
  return 0;
}

}  // namespace migsim
