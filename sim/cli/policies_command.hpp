// `migsim policies [NAME] [--verbose]`: list the registered policies; with NAME or --verbose, each
// parameter with its unit, default, bounds and meaning.
#pragma once

#include "sim/cli/command.hpp"

#include <string>

namespace migsim {

class PoliciesCommand : public Command {
public:
  explicit PoliciesCommand(CLI::App& app);
  bool chosen() const override;
  int run() const override;

private:
  CLI::App* command_ = nullptr;
  std::string name_;
  bool verbose_ = false;
};

}  // namespace migsim
