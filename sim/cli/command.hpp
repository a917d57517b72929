// A `migsim` subcommand: adds its options to the CLI11 app when built, and runs when the user chose it.
// run() throws for errors; main() turns them into a message and an exit status (command_error.hpp).
#pragma once

namespace CLI {
class App;
}

namespace migsim {

class Command {
public:
  virtual ~Command() = default;
  virtual bool chosen() const = 0;
  /// Carries out the parsed command and returns its exit status; throws on errors.
  virtual int run() const = 0;
};

}  // namespace migsim
