#include "sim/output/result_writer.hpp"

#include "build_info.hpp"
#include "sim/output/atomic_write.hpp"
#include "sim/output/consolidation_writer.hpp"
#include "sim/output/migrations_writer.hpp"


#include <cerrno>
#include <cstring>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace migsim {

std::string format_number(double x)
{
  char buffer[64];
  if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 1e15)
    std::snprintf(buffer, sizeof buffer, "%.0f", x);
  else
    std::snprintf(buffer, sizeof buffer, "%.10g", x);
  return buffer;
}

namespace {

class CsvTable {
public:
  explicit CsvTable(std::initializer_list<const char*> columns)
  {
    for (const char* c : columns)
      cell(c);
    end_row();
  }
  CsvTable& cell(const std::string& text)
  {
    // Quote only what needs it (names with commas or quotes).
    if (text.find_first_of(",\"\n") == std::string::npos)
      row_.push_back(text);
    else {
      std::string q = "\"";
      for (char c : text)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
      row_.push_back(q + "\"");
    }
    return *this;
  }
  CsvTable& cell(double x) { return cell(format_number(x)); }
  void end_row()
  {
    for (size_t i = 0; i < row_.size(); ++i)
      out_ << (i ? "," : "") << row_[i];
    out_ << '\n';
    row_.clear();
  }
  std::string text() const { return out_.str(); }

private:
  std::vector<std::string> row_;
  std::ostringstream out_;
};

/// Host evacuations expand into one record per VM followed by the plan's own.
std::vector<RunRecord> rows_of(const std::vector<RunRecord>& runs)
{
  std::vector<RunRecord> rows;
  for (const auto& run : runs) {
    if (run.result->consolidation) {  // its migrations have their rows in migrations.csv
      rows.push_back(run);
      continue;
    }
    for (size_t i = 0; i < run.result->vms.size(); ++i) {  // a data centre's: one per migration of its plan
      const Scenario& s = *run.scenario;
      rows.push_back({&s.vms[s.datacentre ? s.plan.migrations[i].vm : i], &run.result->vms[i]});
    }
    rows.push_back(run);
  }
  return rows;
}

std::string summary_csv(const std::vector<RunRecord>& runs)
{
  CsvTable t{"scenario", "policy", "seed", "memory_bytes", "page_size", "lan_bandwidth_Bps", "san_bandwidth_Bps",
             "dirty_rate_Bps", "downtime_limit_s", "migration_start_s", "total_time_s", "downtime_s", "lan_bytes",
             "san_bytes", "rounds", "status", "io_baseline_Bps", "io_penalty_s", "io_recovery_s", "vm", "page_faults",
             "fault_wait_s", "energy_j", "source_energy_j", "destination_energy_j", "throttle_s", "cpu_bound_s"};
  for (const auto& [s, r] : rows_of(runs)) {
    t.cell(r->scenario).cell(r->policy).cell(std::to_string(r->seed));
    t.cell(static_cast<double>(r->memory_bytes)).cell(static_cast<double>(r->page_size));
    t.cell(r->lan_path_Bps).cell(r->san_path_Bps);
    t.cell(s->dirtying.pages_per_s * static_cast<double>(s->memory.page_size));
    t.cell(s->migration.limits.downtime_limit_s).cell(r->migration_start_s);
    t.cell(r->total_time_s).cell(r->downtime_s);
    t.cell(static_cast<double>(r->lan_bytes)).cell(static_cast<double>(r->san_bytes)).cell(r->rounds);
    t.cell(r->status);
    if (r->has_io && r->io_baseline_Bps > 0)
      t.cell(r->io_baseline_Bps).cell(r->io_penalty_s).cell(r->io_recovery_s);
    else
      t.cell("").cell("").cell("");  // no IO workload, or no baseline window before migration: not defined
    t.cell(r->vm).cell(static_cast<double>(r->page_faults)).cell(r->fault_wait_s);
    if (r->has_energy)
      t.cell(r->energy_j).cell(r->source_energy_j).cell(r->destination_energy_j);
    else
      t.cell("").cell("").cell("");  // energy not modelled in this scenario
    t.cell(r->throttle_s);
    if (r->has_stream_cpu_rate)
      t.cell(r->cpu_bound_s);
    else
      t.cell("");  // no stream CPU rate in this scenario: nothing can bind
    t.end_row();
  }
  return t.text();
}

std::string rounds_csv(const std::vector<RunRecord>& runs)
{
  CsvTable t{"scenario", "policy", "seed",       "round",      "phase",         "start_s",
             "duration_s", "lan_bytes", "san_bytes", "pages_sent", "pages_dirtied", "remaining_bytes", "vm"};
  for (const auto& [s, r] : rows_of(runs))
    for (const RoundRecord& k : r->round_log) {
      t.cell(r->scenario).cell(r->policy).cell(std::to_string(r->seed)).cell(k.round).cell(k.phase);
      t.cell(k.start_s).cell(k.duration_s).cell(static_cast<double>(k.lan_bytes)).cell(static_cast<double>(k.san_bytes));
      t.cell(static_cast<double>(k.pages_sent)).cell(static_cast<double>(k.pages_dirtied));
      t.cell(static_cast<double>(k.remaining_bytes)).cell(r->vm);
      t.end_row();
    }
  return t.text();
}

std::string timeseries_csv(const std::vector<RunRecord>& runs)
{
  CsvTable t{"scenario", "policy", "seed", "time_s", "lan_Bps", "san_restore_Bps", "dirty_pages", "san_guest_Bps",
             "io_Bps", "cache_hit_ratio", "vm"};
  for (const auto& [s, r] : rows_of(runs))
    for (const Sample& k : r->samples) {
      t.cell(r->scenario).cell(r->policy).cell(std::to_string(r->seed)).cell(k.time_s);
      t.cell(k.lan_Bps).cell(k.san_restore_Bps).cell(static_cast<double>(k.dirty_pages));
      if (r->has_io)
        t.cell(k.san_guest_Bps).cell(k.io_Bps);
      else
        t.cell("").cell("");
      if (k.cache_hit_ratio >= 0)
        t.cell(k.cache_hit_ratio);
      else
        t.cell("");  // no page read in the interval
      t.cell(r->vm);
      t.end_row();
    }
  return t.text();
}

std::string run_json(const std::vector<RunRecord>& runs, const std::string& command_line)
{
  nlohmann::json j = {{"tool", "migsim"},
                      {"version", build_info::version},
                      {"git_commit", build_info::git_commit},
                      {"simgrid_version", build_info::simgrid_version},
                      {"command_line", command_line},
                      {"runs", nlohmann::json::array()}};
  for (const auto& [s, r] : runs) {
    nlohmann::json metrics = *r;
    metrics.erase("round_log");
    metrics.erase("samples");
    for (auto& vm : metrics["vms"]) {  // rounds.csv and timeseries.csv have those
      vm.erase("round_log");
      vm.erase("samples");
    }
    j["runs"].push_back({{"scenario_file", s->origin}, {"seed", s->seed}, {"scenario", s->resolved}, {"metrics", metrics}});
  }
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";  // a non-UTF-8 path
}

}  // namespace

void write_results(const std::string& dir, const std::vector<RunRecord>& runs, const std::string& command_line)
{
  AtomicFolder folder(dir);
  folder.write("summary.csv", summary_csv(runs));
  folder.write("rounds.csv", rounds_csv(runs));
  folder.write("timeseries.csv", timeseries_csv(runs));
  folder.write("run.json", run_json(runs, command_line));
  if (has_datacentre_plan(runs)) {
    folder.write("migrations.csv", migrations_csv(runs));
    folder.write("plan_summary.csv", plan_csv(runs));
  }
  if (has_consolidation(runs)) {
    folder.write("datacentre.csv", datacentre_csv(runs));
    folder.write("datacentre_timeseries.csv", datacentre_timeseries_csv(runs));
  }
  folder.commit();
}

const std::vector<std::string>& result_file_names()
{
  static const std::vector<std::string> names = {"summary.csv", "rounds.csv", "timeseries.csv", "run.json"};
  return names;
}

bool is_whole_result(const fs::path& dir)
{
  std::error_code ec;
  for (const std::string& name : result_file_names())
    if (fs::symlink_status(dir / name, ec).type() != fs::file_type::regular)
      return false;
  return true;
}

}  // namespace migsim
