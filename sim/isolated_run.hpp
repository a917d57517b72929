// Runs simulations each in its own child process: SimGrid allows one engine per process, and a crash
// or runaway in one run then cannot take the others (or the caller's output) with it.
#pragma once

#include "run_result.hpp"
#include "scenario.hpp"

#include <optional>
#include <string>
#include <vector>

namespace migsim {

struct RunOutcome {
  std::optional<RunResult> result;
  std::string input_error;     ///< a problem with the scenario found while building it (exit status 2)
  std::string internal_error;  ///< a bug or crash (exit status 1)
};

/// Simulates every scenario, at most `jobs` processes at a time; outcomes in the order given.
std::vector<RunOutcome> run_isolated(const std::vector<Scenario>& scenarios, int jobs);

}  // namespace migsim
