#include "sim/sweep/sweep_merge.hpp"

#include "build_info.hpp"
#include "sim/output/csv_file.hpp"
#include "sim/output/result_writer.hpp"
#include "sim/scenario/json_file.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/sweep/plan_locks.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace migsim {

using ojson = nlohmann::ordered_json;

namespace {

const char* const merged_folder_name  = "merged";
const char* const merged_file_names[] = {"summary.csv", "timeseries.csv", "rounds.csv", "sweep.json"};

// The per-run summary columns that the merged summary already has in front, from the plan.
const std::vector<std::string> identity_columns = {"scenario", "policy", "seed", "status"};

/// Columns of several tables in order of first appearance: runs made by different builds may differ.
class ColumnUnion {
public:
  void add(const CsvRow& header)
  {
    for (const auto& c : header)
      if (index_.emplace(c, columns_.size()).second)
        columns_.push_back(c);
  }
  const CsvRow& columns() const { return columns_; }
  size_t place(const std::string& column) const { return index_.at(column); }
  /// For each column of `header`, its place in the union.
  std::vector<size_t> places(const CsvRow& header) const
  {
    std::vector<size_t> p;
    for (const auto& c : header)
      p.push_back(index_.at(c));
    return p;
  }

private:
  CsvRow columns_;
  std::map<std::string, size_t> index_;
};

const char* const per_run_file = "per-run result file";

std::string read_text(const fs::path& path)
{
  return read_text_file(path.string(), max_data_file_bytes, per_run_file, max_csv_line_bytes);
}

CsvRow read_header(const fs::path& path)
{
  return parse_csv(read_first_line(path.string(), max_csv_line_bytes, per_run_file) + "\n", path.string()).header;
}

/// timeseries.csv or rounds.csv of every run with a result, run_id first, rows in run order.
void merge_rows(std::ostream& out, const fs::path& dir, const SweepPlan& plan, const std::vector<bool>& has_result,
                const char* name)
{
  ColumnUnion columns;
  columns.add({"run_id"});
  for (const PlannedRun& r : plan.runs)
    if (has_result[r.id])
      columns.add(read_header(dir / run_folder(plan, r.id) / "result" / name));
  out << csv_line(columns.columns());
  for (const PlannedRun& r : plan.runs) {
    if (!has_result[r.id])
      continue;
    const fs::path file  = dir / run_folder(plan, r.id) / "result" / name;
    const CsvTable table = parse_csv(read_text(file), file.string());
    const auto places    = columns.places(table.header);
    for (const CsvRow& row : table.rows) {
      CsvRow merged(columns.columns().size());
      merged[0] = std::to_string(r.id);
      for (size_t i = 0; i < row.size(); ++i)
        merged[places[i]] = row[i];
      out << csv_line(merged);
    }
  }
}

/// What a result/ folder that is not whole lacks, for the message.
std::string missing_result_files(const fs::path& result)
{
  std::string missing;
  std::error_code ec;
  for (const std::string& name : result_file_names())
    if (fs::symlink_status(result / name, ec).type() != fs::file_type::regular)
      missing += (missing.empty() ? "" : ", ") + name;
  return missing;
}

/// FILE.tmp.* next to the merged files: left by a merge killed while it wrote FILE in place (as merges
/// did before the merged/ folder) or while it linked FILE. Only with the merge lock held.
void remove_old_temporaries(const fs::path& dir, const std::string& name)
{
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().filename().string().rfind(name + ".tmp.", 0) == 0)
      fs::remove(entry.path(), ec);
}

}  // namespace

SweepMergeReport merge_sweep(const std::string& dir_name, const SweepPlan& plan)
{
  const fs::path dir(dir_name);
  PlanLocks locks(dir_name);
  locks.lock_merge();  // one merge at a time replaces the merged files; held until this returns
  SweepMergeReport report;
  report.runs = plan.runs.size();

  // What became of each run: its per-run summary row, or its error record.
  std::vector<bool> has_result(plan.runs.size(), false);
  std::vector<CsvTable> summaries(plan.runs.size());
  std::vector<std::string> status(plan.runs.size());
  ojson failed_runs = ojson::array();
  std::map<std::string, size_t> statuses;
  std::map<std::vector<std::string>, size_t> tools;
  ColumnUnion metrics;
  for (const PlannedRun& r : plan.runs) {
    const fs::path folder = dir / run_folder(plan, r.id);
    std::error_code ec;
    if (is_whole_result(folder / "result")) {
      CsvTable t = read_csv_file((folder / "result" / "summary.csv").string());
      if (t.rows.empty())
        throw ScenarioError((folder / "result" / "summary.csv").string(), "", "no data row; remove the run's folder to run it again");
      CsvRow kept;
      for (const auto& c : t.header)
        if (std::find(identity_columns.begin(), identity_columns.end(), c) == identity_columns.end())
          kept.push_back(c);
      metrics.add(kept);
      auto st     = std::find(t.header.begin(), t.header.end(), "status");
      // Several rows come from a scenario with several VMs; its last row (vm "all") sums them up.
      status[r.id] = st == t.header.end() ? "ok" : t.rows.back()[static_cast<size_t>(st - t.header.begin())];
      summaries[r.id]  = std::move(t);
      has_result[r.id] = true;
      ++report.with_result;
      const ojson run_json = read_ordered_json_file((folder / "result" / "run.json").string(), max_data_file_bytes);
      if (run_json.is_object())
        ++tools[{run_json.value("version", "?"), run_json.value("git_commit", "?"), run_json.value("simgrid_version", "?")}];
    } else if (fs::exists(folder / "error.json", ec)) {
      const ojson error = read_ordered_json_file((folder / "error.json").string());
      status[r.id]      = error.is_object() ? error.value("status", "failed") : "failed";
      failed_runs.push_back({{"run_id", r.id},
                             {"status", status[r.id]},
                             {"error", error.is_object() ? error.value("error", "") : "unreadable error.json"}});
      ++report.failed;
    } else {
      const bool torn = fs::symlink_status(folder / "result", ec).type() != fs::file_type::not_found;
      status[r.id]    = "missing";
      failed_runs.push_back({{"run_id", r.id},
                             {"status", "missing"},
                             {"error", torn ? "result/ is not whole (no " + missing_result_files(folder / "result") +
                                                  "): `migsim sweep run` runs it again"
                                            : "no result yet: run `migsim sweep run`"}});
      ++report.missing;
    }
    ++statuses[status[r.id]];
  }

  ReplacedFileSet merged((dir / merged_folder_name).string());
  merge_rows(merged.open("timeseries.csv"), dir, plan, has_result, "timeseries.csv");
  merge_rows(merged.open("rounds.csv"), dir, plan, has_result, "rounds.csv");

  CsvRow header = {"run_id", "status", "scenario", "policy", "seed", "replication"};
  header.insert(header.end(), plan.parameters.begin(), plan.parameters.end());
  const size_t fixed_width = header.size();
  header.insert(header.end(), metrics.columns().begin(), metrics.columns().end());
  std::ostream& summary = merged.open("summary.csv");
  summary << csv_line(header);
  for (const PlannedRun& r : plan.runs) {
    CsvRow row = {std::to_string(r.id), status[r.id], r.scenario_name, r.policy, std::to_string(r.seed),
                  std::to_string(r.replication)};
    row.insert(row.end(), r.cells.begin(), r.cells.end());
    row.resize(header.size());
    if (!has_result[r.id]) {
      summary << csv_line(row);
      continue;
    }
    // One merged row per per-run row: one for a single VM; each VM and then "all" for several.
    const CsvTable& t = summaries[r.id];
    for (const CsvRow& values : t.rows) {
      CsvRow cells = row;
      for (size_t i = 0; i < t.header.size(); ++i) {
        const auto identity = std::find(identity_columns.begin(), identity_columns.end(), t.header[i]);
        if (identity == identity_columns.end())
          cells[fixed_width + metrics.place(t.header[i])] = values[i];
        else if (*identity == "status" || *identity == "policy")
          cells[*identity == "status" ? 1 : 3] = values[i];  // a VM's own status and policy
      }
      summary << csv_line(cells);
    }
  }

  ojson run_tools = ojson::array();
  for (const auto& [t, n] : tools)
    run_tools.push_back({{"version", t[0]}, {"git_commit", t[1]}, {"simgrid_version", t[2]}, {"runs", n}});
  ojson provenance = {{"tool", "migsim"},
                      {"version", build_info::version},
                      {"git_commit", build_info::git_commit},
                      {"simgrid_version", build_info::simgrid_version}};
  add_plan_description(provenance, plan);
  provenance["runs"]        = report.runs;
  provenance["with_result"] = report.with_result;
  provenance["failures"]    = report.failed + report.missing;
  provenance["statuses"]    = statuses;
  provenance["failed_runs"] = failed_runs;
  provenance["run_tools"]   = run_tools;
  provenance["sweep"]       = plan.sweep;
  merged.open("sweep.json") << provenance.dump(2, ' ', false, ojson::error_handler_t::replace) << "\n";
  merged.commit();
  for (const char* name : merged_file_names) {
    remove_old_temporaries(dir, name);
    link_atomically((dir / name).string(), std::string(merged_folder_name) + "/" + name);
  }
  return report;
}

}  // namespace migsim
