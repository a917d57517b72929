// `migsim sweep`: plan, run, merge and Slurm commands over a sweep folder (docs/sweeps.md). main() only
// adds the command and calls run() when the user chose it; everything else about sweeps lives here.
// Exit status: 0 done, 1 internal error, 2 bad input (nothing written), 3 some runs failed or have no
// result yet (everything else was done and written).
#pragma once

#include "sim/sweep/slurm_script.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace migsim {

class SweepCommand {
public:
  explicit SweepCommand(CLI::App& app);
  bool chosen() const;
  /// Carries out the parsed command; reports its own errors on stderr and returns the exit status.
  int run() const;

private:
  int plan() const;
  int run_range() const;
  int merge() const;
  int slurm() const;
  int all_in_one() const;

  CLI::App* sweep_ = nullptr;
  CLI::App* plan_  = nullptr;
  CLI::App* run_   = nullptr;
  CLI::App* merge_ = nullptr;
  CLI::App* slurm_ = nullptr;
  std::string sweep_file_;
  std::string dir_;
  std::string range_;
  int jobs_ = 1;
  bool quiet_ = false;
  uint64_t chunk_ = 0;
  int cpus_per_task_ = 1;
  SlurmOptions slurm_options_;  ///< partition, account, limits, set-up lines, command prefix
  bool submit_ = false;
  bool wait_   = false;
};

/// Adds `sweep` and its subcommands to `app`.
std::unique_ptr<SweepCommand> add_sweep_command(CLI::App& app);

}  // namespace migsim
