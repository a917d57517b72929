// `migsim sweep`: plan, run, merge and Slurm commands over a sweep folder (docs/sweeps.md). Everything about sweeps
// on the command line lives here.
// Exit statuses: command_error.hpp.
#pragma once

#include "sim/cli/command.hpp"
#include "sim/engine/isolated_run.hpp"
#include "sim/sweep/slurm_script.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace migsim {

class SweepCommand : public Command {
public:
  explicit SweepCommand(CLI::App& app);
  bool chosen() const override;
  int run() const override;

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
  double timeout_s_ = default_wall_timeout_s;
  bool quiet_ = false;
  uint64_t chunk_ = 0;
  int cpus_per_task_ = 1;
  SlurmOptions slurm_options_;  ///< partition, account, limits, set-up lines, command prefix
  bool submit_ = false;
  bool wait_   = false;
};

}  // namespace migsim
