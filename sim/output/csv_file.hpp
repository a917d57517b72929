// Small CSV reader and writer for the files migsim writes itself (RFC 4180: comma-separated, a header
// row, a cell quoted only when it holds a comma, a quote or a newline). The sweep merge copies cells
// verbatim through these, so numbers keep the exact text the per-run writer gave them.
#pragma once

#include <string>
#include <vector>

namespace migsim {

using CsvRow = std::vector<std::string>;

struct CsvTable {
  CsvRow header;
  std::vector<CsvRow> rows;
};

/// Throws ScenarioError naming the file if it cannot be read (json_file.hpp: a regular file within the
/// size and line bounds of a data file) or a row has the wrong width.
CsvTable read_csv_file(const std::string& path);
CsvTable parse_csv(const std::string& text, const std::string& origin);

/// One row, quoted where needed, ending in '\n'.
std::string csv_line(const CsvRow& cells);

}  // namespace migsim
