#include "sim/output/migrations_writer.hpp"

#include "sim/output/csv_file.hpp"

namespace migsim {
namespace {

std::string number(double x)
{
  return format_number(x);
}

std::string count(uint64_t x)
{
  return format_number(static_cast<double>(x));
}

}  // namespace

bool has_datacentre_plan(const std::vector<RunRecord>& runs)
{
  for (const auto& run : runs)
    if (run.result->is_datacentre_plan)
      return true;
  return false;
}

std::string migrations_csv(const std::vector<RunRecord>& runs)
{
  std::string out = csv_line({"scenario", "plan", "seed", "vm", "policy", "source", "destination", "start_s", "end_s",
                              "total_time_s", "downtime_s", "lan_bytes", "san_bytes", "rounds", "status",
                              "bottleneck_link"});
  for (const auto& [s, plan] : runs) {
    if (!plan->is_datacentre_plan)
      continue;
    for (const RunResult& r : plan->vms) {
      const bool started = r.status != "no_room";
      out += csv_line({plan->scenario, plan->policy, std::to_string(plan->seed), r.vm, r.policy, r.source_host,
                       r.destination_host, started ? number(r.migration_start_s) : "",
                       started ? number(r.migration_start_s + r.total_time_s) : "", started ? number(r.total_time_s) : "",
                       started ? number(r.downtime_s) : "", count(r.lan_bytes), count(r.san_bytes),
                       std::to_string(r.rounds), r.status, r.bottleneck_link});
    }
  }
  return out;
}

std::string plan_csv(const std::vector<RunRecord>& runs)
{
  std::string out = csv_line({"scenario", "plan", "seed", "migrations", "not_ok", "first_start_s", "last_end_s",
                              "makespan_s", "peak_concurrency", "max_downtime_s", "lan_bytes", "san_bytes", "energy_j",
                              "hosts_on_end", "status"});
  for (const auto& [s, plan] : runs) {
    if (!plan->is_datacentre_plan)
      continue;
    size_t not_ok = 0;
    for (const RunResult& r : plan->vms)
      not_ok += r.status != "ok";
    out += csv_line({plan->scenario, plan->policy, std::to_string(plan->seed), std::to_string(plan->vms.size()),
                     std::to_string(not_ok), number(plan->migration_start_s),
                     number(plan->migration_start_s + plan->total_time_s), number(plan->total_time_s),
                     std::to_string(plan->peak_concurrency), number(plan->downtime_s), count(plan->lan_bytes),
                     count(plan->san_bytes), number(plan->energy_j), std::to_string(plan->hosts_on_end), plan->status});
  }
  return out;
}

}  // namespace migsim
