// `migsim validate-suite`: runs the validation suite (validation_suite.hpp) and prints its table.
// main() only adds the command and calls run() when the user chose it.
// Exit status: 0 every check passes (or is a documented known deviation), 1 a simulation could not
// run, 2 bad input (a case or scenario file), 3 some check FAILs.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace migsim {

class ValidateSuiteCommand {
public:
  explicit ValidateSuiteCommand(CLI::App& app);
  bool chosen() const;
  /// Carries out the parsed command; reports its own errors on stderr and returns the exit status.
  int run() const;

private:
  CLI::App* command_ = nullptr;
  std::string dir_   = "scenarios/validation";
  std::vector<std::string> cases_;
  int jobs_ = 1;
};

/// Adds `validate-suite` to `app`.
std::unique_ptr<ValidateSuiteCommand> add_validate_suite_command(CLI::App& app);

}  // namespace migsim
