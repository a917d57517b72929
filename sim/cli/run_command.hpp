// `migsim run`: simulate a scenario under one or more policies, each in its own process, and write the
// results folder (docs/outputs.md).
#pragma once

#include "sim/cli/command.hpp"

#include <string>
#include <vector>

namespace migsim {

class RunCommand : public Command {
public:
  RunCommand(CLI::App& app, std::string command_line);
  bool chosen() const override;
  int run() const override;

private:
  CLI::App* command_ = nullptr;
  std::string command_line_;
  std::string file_;
  std::string out_;
  std::vector<std::string> policies_;
  std::vector<std::string> overrides_;
  int jobs_         = 1;
  double timeout_s_ = 0;
  bool quiet_       = false;
};

}  // namespace migsim
