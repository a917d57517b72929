#include "sim/scenario/bitbrains_trace.hpp"

#include "sim/scenario/json_file.hpp"
#include "sim/scenario/scenario_error.hpp"

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <vector>

namespace migsim {

namespace {

constexpr std::array<const char*, 11> columns{
    "timestamp",          "cpu_cores",        "cpu_capacity_MHz",  "cpu_usage_MHz",
    "cpu_usage_percent",  "memory_provisioned_KB", "memory_used_KB", "disk_read_KBps",
    "disk_write_KBps",    "network_rx_KBps",  "network_tx_KBps"};

std::string trim(const std::string& s)
{
  const size_t first = s.find_first_not_of(" \t");
  if (first == std::string::npos)
    return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string> fields_of(const std::string& line)
{
  std::vector<std::string> fields;
  size_t start = 0;
  for (;;) {
    const size_t end = line.find(';', start);
    fields.push_back(trim(line.substr(start, end == std::string::npos ? std::string::npos : end - start)));
    if (end == std::string::npos)
      return fields;
    start = end + 1;
  }
}

std::string shown(const std::string& field)
{
  return "\"" + (field.size() > 40 ? field.substr(0, 40) + "..." : field) + "\"";
}

}  // namespace

CpuTrace parse_bitbrains_trace(const std::string& text, const std::string& origin)
{
  if (text.empty())
    throw ScenarioError(origin, "", "the file is empty; expected a Bitbrains trace (a header, then rows of 11 fields separated by \";\\t\")");
  CpuTrace trace;
  trace.name        = std::filesystem::path(origin).filename().string();
  bool header_seen  = false;
  double first_time = 0, previous_time = 0;
  size_t start = 0, line = 0;
  while (start < text.size()) {
    ++line;
    size_t end = text.find('\n', start);
    if (end == std::string::npos)
      end = text.size();
    std::string row = text.substr(start, end - start);
    start           = end + 1;
    if (!row.empty() && row.back() == '\r')
      row.pop_back();
    if (trim(row).empty())
      continue;
    const std::string at           = "line " + std::to_string(line);
    const std::vector<std::string> f = fields_of(row);
    if (!header_seen) {
      if (f.size() != columns.size() || f[0].rfind("Timestamp", 0) != 0)
        throw ScenarioError(origin, at, "expected the Bitbrains header \"Timestamp [ms];\\tCPU cores;\\t...\" (11 fields separated by \";\\t\"), got " + shown(row));
      header_seen = true;
      continue;
    }
    if (f.size() != columns.size())
      throw ScenarioError(origin, at, "expected 11 fields separated by \";\\t\", got " + std::to_string(f.size()));
    std::array<double, columns.size()> v{};
    for (size_t c = 0; c < columns.size(); ++c) {
      const std::string where = at + ", column " + columns[c];
      char* rest              = nullptr;
      errno                   = 0;
      v[c]                    = f[c].empty() ? NAN : std::strtod(f[c].c_str(), &rest);
      if (f[c].empty() || *rest != '\0' || errno == ERANGE || !std::isfinite(v[c]))
        throw ScenarioError(origin, where, "expected a finite number, got " + shown(f[c]));
      if (v[c] < 0)
        throw ScenarioError(origin, where, "must be zero or positive, got " + f[c]);
    }
    if (v[4] > 100)
      throw ScenarioError(origin, at + ", column " + columns[4], "a CPU usage in percent must be from 0 to 100, got " + f[4]);
    if (v[1] < 1 || v[2] <= 0)
      throw ScenarioError(origin, at + ", column " + columns[v[1] < 1 ? 1 : 2], "a VM needs at least one CPU core and a CPU capacity, got " + f[v[1] < 1 ? 1 : 2]);
    if (trace.time_s.empty()) {
      first_time         = v[0];
      trace.cores        = v[1];
      trace.capacity_Hz  = v[2] * 1e6;
      trace.memory_bytes = v[5] * 1024;
    } else if (!(v[0] > previous_time)) {
      throw ScenarioError(origin, at + ", column timestamp", "timestamps must increase, got " + f[0] + " after " + std::to_string(static_cast<long long>(previous_time)));
    }
    previous_time = v[0];
    trace.time_s.push_back(v[0] - first_time);
    trace.utilisation.push_back(v[4] / 100);
  }
  if (trace.time_s.empty())
    throw ScenarioError(origin, "", header_seen ? "has a header but no rows" : "has only blank lines; expected a Bitbrains trace");
  return trace;
}

CpuTrace read_bitbrains_trace(const std::string& path)
{
  return parse_bitbrains_trace(read_text_file(path, max_bitbrains_file_bytes, "Bitbrains trace file", max_csv_line_bytes), path);
}

}  // namespace migsim
