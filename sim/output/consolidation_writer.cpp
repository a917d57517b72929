#include "sim/output/consolidation_writer.hpp"

#include "sim/output/csv_file.hpp"

namespace migsim {
bool has_consolidation(const std::vector<RunRecord>& runs)
{
  for (const auto& run : runs)
    if (run.result->consolidation)
      return true;
  return false;
}

std::string datacentre_csv(const std::vector<RunRecord>& runs)
{
  std::string out = csv_line({"scenario", "consolidation", "migration_policy", "seed", "hosts", "vms", "periods",
                              "migrations", "shutdowns", "energy_kwh", "slatah", "pdm", "slav", "esv",
                              "mean_migration_s", "mean_downtime_s", "lan_bytes", "san_bytes", "status"});
  for (const auto& [s, run] : runs) {
    if (!run->consolidation)
      continue;
    const ConsolidationOutcome& c = *run->consolidation;
    out += csv_line({run->scenario, c.policy, s->migration.display_name(), std::to_string(run->seed),
                     std::to_string(c.hosts), std::to_string(c.vms), std::to_string(c.periods),
                     std::to_string(c.migrations), std::to_string(c.shutdowns), format_number(c.energy_kwh), format_number(c.slatah),
                     format_number(c.pdm), format_number(c.slav), format_number(c.esv), format_number(c.mean_migration_s),
                     format_number(c.mean_downtime_s), format_number(static_cast<double>(run->lan_bytes)),
                     format_number(static_cast<double>(run->san_bytes)), run->status});
  }
  return out;
}

std::string datacentre_timeseries_csv(const std::vector<RunRecord>& runs)
{
  std::string out = csv_line({"scenario", "consolidation", "migration_policy", "seed", "time_s", "active_hosts",
                              "migrations_started", "migrations_running", "power_w"});
  for (const auto& [s, run] : runs) {
    if (!run->consolidation)
      continue;
    const ConsolidationOutcome& c = *run->consolidation;
    for (const ConsolidationPeriod& p : c.timeline)
      out += csv_line({run->scenario, c.policy, s->migration.display_name(), std::to_string(run->seed),
                       format_number(p.time_s), std::to_string(p.active_hosts), std::to_string(p.migrations_started),
                       std::to_string(p.migrations_running), format_number(p.power_W)});
  }
  return out;
}

}  // namespace migsim
