// Writes a set of runs as summary.csv, rounds.csv, timeseries.csv and run.json (docs/outputs.md).
// The folder appears whole or not at all (AtomicFolder, atomic_write.hpp).
#pragma once

#include "sim/engine/run_result.hpp"
#include "sim/output/atomic_write.hpp"
#include "sim/scenario/scenario.hpp"

#include <string>
#include <vector>

namespace migsim {

struct RunRecord {
  const Scenario* scenario;
  const RunResult* result;
};

void write_results(const std::string& dir, const std::vector<RunRecord>& runs, const std::string& command_line);

/// Numbers as they appear in every output: integers exactly, others with 10 significant digits.
std::string format_number(double x);

}  // namespace migsim
