#include "sim/cli/policies_command.hpp"

#include "models/consolidation/consolidation_registry.hpp"
#include "models/policies/policy_registry.hpp"
#include "sim/cli/command_error.hpp"
#include "sim/output/result_writer.hpp"
#include "sim/scenario/scenario_error.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>

namespace migsim {

namespace {

const char* unit_name(const ParamSpec& spec)
{
  if (!spec.unit)
    return "number";
  switch (*spec.unit) {  // no default: a new kind must be named here (-Wswitch)
    case Quantity::Bytes: return "size (bytes)";
    case Quantity::Rate: return "rate (bytes/s)";
    case Quantity::Duration: return "duration (s)";
  }
  return "";
}

template <class Declaration>
void print_details(const Declaration& p)
{
  std::printf("%s: %s\n", p.name.c_str(), p.description.c_str());
  if (p.params.empty())
    std::printf("  no parameters\n");
  for (const auto& param : p.params) {
    const std::string bounds = "[" + format_number(param.min) + ", " + format_number(param.max) + "]";
    std::printf("  %-22s %-15s default %-8s %-14s %s\n", param.name.c_str(), unit_name(param),
                format_number(param.default_value).c_str(), bounds.c_str(), param.description.c_str());
  }
}

}  // namespace

PoliciesCommand::PoliciesCommand(CLI::App& app)
    : command_(app.add_subcommand("policies", "list the registered policies (NAME: one policy's parameters)"))
{
  command_->add_option("name", name_, "a policy: its parameters with unit, default, bounds and meaning");
  command_->add_flag("--verbose", verbose_, "every policy's parameters with unit, default, bounds and meaning");
}

bool PoliciesCommand::chosen() const
{
  return command_->parsed();
}

int PoliciesCommand::run() const
{
  const auto& registry = PolicyRegistry::instance();
  const auto& consolidation = ConsolidationRegistry::instance();
  if (!name_.empty()) {
    if (const auto* c = consolidation.find_if_any(name_)) {
      print_details(*c);
      return 0;
    }
    try {
      print_details(registry.find(name_));
    } catch (const UnknownPolicy& e) {
      throw InputError(std::string(e.what()) + "; consolidation policies are: " + consolidation.names());
    }
    return 0;
  }
  for (const auto& p : registry.all()) {
    if (verbose_) {
      print_details(p);
      continue;
    }
    std::printf("%-14s %s\n", p.name.c_str(), p.description.c_str());
    for (const auto& param : p.params)
      std::printf("%-14s   params/%s (default %s): %s\n", "", param.name.c_str(),
                  format_number(param.default_value).c_str(), param.description.c_str());
  }
  // A section of its own after a blank line: these decide which VMs move where, not how one moves.
  std::printf("\nconsolidation policies (which VMs move where each period, which hosts switch off; docs/consolidation.md):\n");
  for (const auto& p : consolidation.all()) {
    if (verbose_) {
      print_details(p);
      continue;
    }
    std::printf("  %-12s %s\n", p.name.c_str(), p.description.c_str());
    for (const auto& param : p.params)
      std::printf("  %-12s   params/%s (default %s): %s\n", "", param.name.c_str(),
                  format_number(param.default_value).c_str(), param.description.c_str());
  }
  return 0;
}

}  // namespace migsim
