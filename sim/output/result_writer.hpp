// Writes a set of runs as summary.csv, rounds.csv, timeseries.csv and run.json (docs/outputs.md).
// The folder appears whole or not at all (AtomicFolder, atomic_write.hpp).
#pragma once

#include "sim/engine/run_result.hpp"
#include "sim/output/atomic_write.hpp"
#include "sim/scenario/scenario.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace migsim {

struct RunRecord {
  const Scenario* scenario;
  const RunResult* result;
};

void write_results(const std::string& dir, const std::vector<RunRecord>& runs, const std::string& command_line);

/// The files write_results() writes, in every result folder.
const std::vector<std::string>& result_file_names();

/// Whether `dir` is a whole result folder: every one of those files there, a regular file (a folder
/// that lacks one was damaged or torn, and is not a result).
bool is_whole_result(const std::filesystem::path& dir);

/// Numbers as they appear in every output: integers exactly, others with 10 significant digits.
std::string format_number(double x);

}  // namespace migsim
