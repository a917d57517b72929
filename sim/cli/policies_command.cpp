#include "sim/cli/policies_command.hpp"

#include "models/policies/policy_registry.hpp"
#include "sim/output/result_writer.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>

namespace migsim {

PoliciesCommand::PoliciesCommand(CLI::App& app)
    : command_(app.add_subcommand("policies", "list the registered policies"))
{
}

bool PoliciesCommand::chosen() const
{
  return command_->parsed();
}

int PoliciesCommand::run() const
{
  for (const auto& p : PolicyRegistry::instance().all()) {
    std::printf("%-14s %s\n", p.name.c_str(), p.description.c_str());
    for (const auto& param : p.params)
      std::printf("%-14s   params/%s (default %s): %s\n", "", param.name.c_str(),
                  format_number(param.default_value).c_str(), param.description.c_str());
  }
  return 0;
}

}  // namespace migsim
