#include "sim/output/csv_file.hpp"

#include "sim/scenario/json_file.hpp"
#include "sim/scenario/scenario_error.hpp"

namespace migsim {

std::string csv_line(const CsvRow& cells)
{
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i)
      line += ',';
    const std::string& c = cells[i];
    if (c.find_first_of(",\"\n\r") == std::string::npos) {
      line += c;
      continue;
    }
    line += '"';
    for (char ch : c)
      line += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    line += '"';
  }
  return line + '\n';
}

CsvTable parse_csv(const std::string& text, const std::string& origin)
{
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string cell;
  bool quoted = false, row_started = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
      continue;
    }
    row_started = true;
    if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
    } else if (c == '\n') {
      row.push_back(std::move(cell));
      cell.clear();
      rows.push_back(std::move(row));
      row.clear();
      row_started = false;
    } else if (c != '\r') {
      cell += c;
    }
  }
  if (quoted)
    throw ScenarioError(origin, "", "unterminated quoted cell");
  if (row_started) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  CsvTable table;
  if (rows.empty())
    throw ScenarioError(origin, "", "empty file, expected a CSV header row");
  table.header = std::move(rows.front());
  for (size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].size() != table.header.size())
      throw ScenarioError(origin, "", "row " + std::to_string(i + 1) + " has " + std::to_string(rows[i].size()) +
                                          " cells, the header " + std::to_string(table.header.size()));
    table.rows.push_back(std::move(rows[i]));
  }
  return table;
}

CsvTable read_csv_file(const std::string& path)
{
  return parse_csv(read_text_file(path, max_data_file_bytes, "CSV file", max_csv_line_bytes), path);
}

}  // namespace migsim
