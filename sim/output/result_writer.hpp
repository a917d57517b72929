// Writes a set of runs as summary.csv, rounds.csv, timeseries.csv and run.json (docs/outputs.md).
// The folder appears whole or not at all: files go to a temporary sibling folder that is renamed into
// place, and an existing non-empty folder is never written into.
#pragma once

#include "sim/engine/run_result.hpp"
#include "sim/scenario/scenario.hpp"

#include <string>
#include <vector>

namespace migsim {

struct RunRecord {
  const Scenario* scenario;
  const RunResult* result;
};

/// Throws std::runtime_error if `dir` exists and is not empty (checked before any run starts, too).
void check_output_dir_free(const std::string& dir);
void write_results(const std::string& dir, const std::vector<RunRecord>& runs, const std::string& command_line);

/// Numbers as they appear in every output: integers exactly, others with 10 significant digits.
std::string format_number(double x);

/// Writes `text` to `path` atomically (temporary file in the same folder, then rename).
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace migsim
