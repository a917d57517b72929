#include "sim/scenario/planetlab_trace.hpp"

#include "sim/scenario/json_file.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/trace_folder.hpp"

#include <filesystem>

namespace migsim {

namespace {

std::string line_at(size_t line)
{
  return "line " + std::to_string(line);
}

/// A whole number of percent from 0 to 100, spaces around it allowed; -1 otherwise.
int percent_value(const std::string& field)
{
  size_t first = field.find_first_not_of(" \t");
  size_t last  = field.find_last_not_of(" \t");
  if (first == std::string::npos)
    return -1;
  const std::string digits = field.substr(first, last - first + 1);
  if (digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string::npos)
    return -1;
  const int value = std::stoi(digits);
  return value <= 100 ? value : -1;
}

}  // namespace

CpuTrace parse_planetlab_trace(const std::string& text, const std::string& origin)
{
  if (text.empty())
    throw ScenarioError(origin, "", "the file is empty; expected a PlanetLab trace of 288 lines, one CPU % per 5 minutes");
  CpuTrace trace;
  trace.name = std::filesystem::path(origin).filename().string();
  size_t start = 0, line = 0;
  while (start < text.size()) {
    ++line;
    size_t end = text.find('\n', start);
    if (end == std::string::npos)
      end = text.size();
    std::string field = text.substr(start, end - start);
    start             = end + 1;
    if (!field.empty() && field.back() == '\r')
      field.pop_back();
    if (line > planetlab_samples)
      throw ScenarioError(origin, line_at(line), "more than 288 values; a PlanetLab trace has one per 5 minutes for 24 hours");
    if (field.find_first_not_of(" \t") == std::string::npos)
      throw ScenarioError(origin, line_at(line), "empty line; expected a whole number of percent from 0 to 100");
    const int value = percent_value(field);
    if (value < 0)
      throw ScenarioError(origin, line_at(line), "expected a whole number of percent from 0 to 100, got \"" +
                                                     (field.size() > 40 ? field.substr(0, 40) + "..." : field) + "\"");
    trace.time_s.push_back(planetlab_step_s * static_cast<double>(line - 1));
    trace.utilisation.push_back(value / 100.0);
  }
  if (line < planetlab_samples)
    throw ScenarioError(origin, line_at(line + 1), "missing: the trace ends after " + std::to_string(line) +
                                                       " of its 288 values (one per 5 minutes for 24 hours)");
  return trace;
}

CpuTrace read_planetlab_trace(const std::string& path)
{
  return parse_planetlab_trace(read_text_file(path, max_planetlab_file_bytes, "PlanetLab trace file"), path);
}

std::vector<CpuTrace> read_planetlab_folder(const std::string& folder)
{
  std::vector<CpuTrace> traces;
  for (const std::string& path : trace_folder_entries(folder, max_trace_folder_files, "PlanetLab trace"))
    traces.push_back(read_planetlab_trace(path));
  return traces;
}

}  // namespace migsim
