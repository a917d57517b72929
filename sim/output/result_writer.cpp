#include "sim/output/result_writer.hpp"

#include "build_info.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
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
    for (size_t i = 0; i < run.result->vms.size(); ++i)
      rows.push_back({&run.scenario->vms[i], &run.result->vms[i]});
    rows.push_back(run);
  }
  return rows;
}

std::string summary_csv(const std::vector<RunRecord>& runs)
{
  CsvTable t{"scenario", "policy", "seed", "memory_bytes", "page_size", "lan_bandwidth_Bps", "san_bandwidth_Bps",
             "dirty_rate_Bps", "downtime_limit_s", "migration_start_s", "total_time_s", "downtime_s", "lan_bytes",
             "san_bytes", "rounds", "status", "io_baseline_Bps", "io_penalty_s", "io_recovery_s", "vm", "page_faults",
             "fault_wait_s", "energy_j", "source_energy_j", "destination_energy_j", "throttle_s"};
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
  return j.dump(2) + "\n";
}

}  // namespace

void check_output_dir_free(const std::string& dir)
{
  std::error_code ec;
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec)))
    throw std::runtime_error("output folder \"" + dir + "\" already exists and is not empty; choose another --out");
}

namespace {

/// Writes `text` to a new file and flushes it to the disk: a rename that makes it visible must not
/// be able to reach the disk before the data (ext4 and xfs may reorder them on a crash otherwise).
void write_synced(const fs::path& path, const std::string& text)
{
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::runtime_error("cannot create \"" + path.string() + "\": " + std::strerror(errno));
  for (size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      throw std::runtime_error("cannot write \"" + path.string() + "\": " + std::strerror(error));
    }
    done += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  const int error   = errno;
  if (::close(fd) != 0 || !synced)
    throw std::runtime_error("cannot write \"" + path.string() + "\": " + std::strerror(error));
}

/// Makes a rename or a new entry in `dir` durable; best effort (some filesystems refuse a directory fsync).
void sync_directory(const fs::path& dir)
{
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

/// Removes NAME.partial.PID folders left by a migsim that was killed (SIGKILL, power loss) while writing
/// NAME; a PID that is still running is another migsim at work and is left alone.
void remove_stale_partials(const fs::path& target)
{
  std::error_code ec;
  const fs::path parent     = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string prefix = target.filename().string() + ".partial.";
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0)
      continue;
    const std::string pid = name.substr(prefix.size());
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos || pid.size() > 9)
      continue;
    if (::kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH)
      fs::remove_all(entry.path(), ec);
  }
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& text)
{
  const fs::path target(path);
  const fs::path temp = path + ".tmp." + std::to_string(::getpid());
  try {
    write_synced(temp, text);
    fs::rename(temp, target);
  } catch (...) {
    std::error_code ignore;
    fs::remove(temp, ignore);
    throw;
  }
  sync_directory(target.parent_path());
}

void write_results(const std::string& dir, const std::vector<RunRecord>& runs, const std::string& command_line)
{
  check_output_dir_free(dir);
  const fs::path target(dir);
  if (target.has_parent_path())
    fs::create_directories(target.parent_path());
  remove_stale_partials(target);
  // Everything goes into NAME.partial.PID, which becomes NAME by one rename once complete: a migsim
  // killed at any moment leaves either the whole folder or none (and at worst a .partial. leftover).
  const fs::path temp = target.string() + ".partial." + std::to_string(::getpid());
  fs::remove_all(temp);
  fs::create_directory(temp);
  try {
    write_synced(temp / "summary.csv", summary_csv(runs));
    write_synced(temp / "rounds.csv", rounds_csv(runs));
    write_synced(temp / "timeseries.csv", timeseries_csv(runs));
    write_synced(temp / "run.json", run_json(runs, command_line));
    sync_directory(temp);
    std::error_code ec;
    fs::rename(temp, target, ec);  // replaces an empty folder, never a non-empty one
    if (ec)
      throw std::runtime_error("cannot move the results into \"" + dir + "\" (" + ec.message() +
                               "); did another program write there meanwhile?");
  } catch (...) {
    std::error_code ignore;
    fs::remove_all(temp, ignore);
    throw;
  }
  sync_directory(target.has_parent_path() ? target.parent_path() : fs::path("."));
}

}  // namespace migsim
