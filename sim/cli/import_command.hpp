// `migsim import qemu RECORD [--out FILE]`: a record of a real QEMU migration -> a migsim scenario
// (sim/scenario/qemu_record.hpp, docs/import.md). The scenario goes to stdout, or to FILE atomically;
// each fitted or derived value goes to stderr, one line each.
// Exit status: 0 done, 2 bad record (nothing written), 4 --out cannot be written, 1 internal error.
#pragma once

#include "sim/cli/command.hpp"

#include <string>

namespace migsim {

class ImportCommand : public Command {
public:
  explicit ImportCommand(CLI::App& app);
  bool chosen() const override;
  int run() const override;

private:
  CLI::App* command_ = nullptr;
  std::string record_;
  std::string out_;
};

}  // namespace migsim
