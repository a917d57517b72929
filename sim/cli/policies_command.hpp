// `migsim policies`: list the registered policies with their parameters.
#pragma once

#include "sim/cli/command.hpp"

namespace migsim {

class PoliciesCommand : public Command {
public:
  explicit PoliciesCommand(CLI::App& app);
  bool chosen() const override;
  int run() const override;

private:
  CLI::App* command_ = nullptr;
};

}  // namespace migsim
