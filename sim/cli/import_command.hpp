// `migsim import qemu RECORD [--out FILE]`: a record of a real QEMU migration -> a migsim scenario
// (sim/scenario/qemu_record.hpp, docs/import.md). The scenario goes to stdout, or to FILE atomically;
// each fitted or derived value goes to stderr, one line each. main() only adds the command and calls
// run() when the user chose it.
// Exit status: 0 done, 2 bad record or --out not writable (nothing written), 1 internal error.
#pragma once

#include <memory>
#include <string>

namespace CLI {
class App;
}

namespace migsim {

class ImportCommand {
public:
  explicit ImportCommand(CLI::App& app);
  bool chosen() const;
  /// Carries out the parsed command; reports its own errors on stderr and returns the exit status.
  int run() const;

private:
  CLI::App* command_ = nullptr;
  std::string record_;
  std::string out_;
};

/// Adds `import` (with its one kind, `qemu`) to `app`.
std::unique_ptr<ImportCommand> add_import_command(CLI::App& app);

}  // namespace migsim
