// `migsim validate-suite`: runs the validation suite (validation_suite.hpp) and prints its table.
// Exit statuses: command_error.hpp.
#pragma once

#include "sim/cli/command.hpp"

#include <string>
#include <vector>

namespace migsim {

class ValidateSuiteCommand : public Command {
public:
  explicit ValidateSuiteCommand(CLI::App& app);
  bool chosen() const override;
  int run() const override;

private:
  CLI::App* command_ = nullptr;
  std::string dir_   = "scenarios/validation";
  std::vector<std::string> cases_;
  int jobs_ = 1;
};

}  // namespace migsim
