// `migsim validate FILE...`: load and check scenario files without running them.
#pragma once

#include "sim/cli/command.hpp"

#include <string>
#include <vector>

namespace migsim {

class ValidateCommand : public Command {
public:
  explicit ValidateCommand(CLI::App& app);
  bool chosen() const override;
  int run() const override;

private:
  CLI::App* command_ = nullptr;
  std::vector<std::string> files_;
  std::vector<std::string> overrides_;
};

}  // namespace migsim
