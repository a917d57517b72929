#include "sim/engine/run_result.hpp"

#include <algorithm>

namespace migsim {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RoundRecord, round, phase, start_s, duration_s, lan_bytes, san_bytes, pages_sent,
                                   pages_dirtied, remaining_bytes)

void add_to_plan_row(RunResult& plan, const RunResult& r)
{
  if (plan.status == "ok" && r.status != "ok")
    plan.status = r.status;
  plan.downtime_s = std::max(plan.downtime_s, r.downtime_s);
  plan.lan_bytes += r.lan_bytes;
  plan.san_bytes += r.san_bytes;
  plan.rounds += r.rounds;
  plan.memory_bytes += r.memory_bytes;
  plan.page_faults += r.page_faults;
  plan.fault_wait_s += r.fault_wait_s;
  plan.throttle_s += r.throttle_s;
  plan.cpu_bound_s += r.cpu_bound_s;
  plan.has_stream_cpu_rate = plan.has_stream_cpu_rate || r.has_stream_cpu_rate;
}

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ConsolidationPeriod, time_s, active_hosts, migrations_started, migrations_running, power_W)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ConsolidationOutcome, policy, hosts, vms, periods, energy_kwh, slatah, pdm, slav, esv,
                                   migrations, shutdowns, mean_migration_s, mean_downtime_s, timeline)

// A run may hold hundreds of thousands of samples: sent between processes as bare arrays, not objects.
void to_json(nlohmann::json& j, const Sample& s)
{
  j = nlohmann::json::array(
      {s.time_s, s.lan_Bps, s.san_restore_Bps, s.san_guest_Bps, s.io_Bps, s.cache_hit_ratio, s.dirty_pages});
}

void from_json(const nlohmann::json& j, Sample& s)
{
  s = {j[0].get<double>(), j[1].get<double>(), j[2].get<double>(), j[3].get<double>(),
       j[4].get<double>(), j[5].get<double>(), j[6].get<uint64_t>()};
}

void to_json(nlohmann::json& j, const RunResult& r)
{
  j = {{"scenario", r.scenario},       {"vm", r.vm},
       {"page_faults", r.page_faults}, {"fault_wait_s", r.fault_wait_s},
       {"throttle_s", r.throttle_s},
       {"cpu_bound_s", r.cpu_bound_s}, {"has_stream_cpu_rate", r.has_stream_cpu_rate},
       {"energy_j", r.energy_j}, {"source_energy_j", r.source_energy_j},
       {"destination_energy_j", r.destination_energy_j}, {"has_energy", r.has_energy},
       {"vms", r.vms},                 {"policy", r.policy},
       {"seed", r.seed},               {"status", r.status},
       {"migration_start_s", r.migration_start_s},
       {"total_time_s", r.total_time_s}, {"downtime_s", r.downtime_s},
       {"lan_bytes", r.lan_bytes},     {"san_bytes", r.san_bytes},
       {"rounds", r.rounds},           {"memory_bytes", r.memory_bytes},
       {"page_size", r.page_size},     {"lan_path_Bps", r.lan_path_Bps},
       {"san_path_Bps", r.san_path_Bps}, {"has_io", r.has_io},
       {"io_baseline_Bps", r.io_baseline_Bps}, {"io_penalty_s", r.io_penalty_s},
       {"io_recovery_s", r.io_recovery_s},
       {"round_log", r.round_log},     {"samples", r.samples}};
  if (!r.source_host.empty())  // only in a data centre, so that other results keep their bytes
    j.update({{"source_host", r.source_host}, {"destination_host", r.destination_host},
              {"bottleneck_link", r.bottleneck_link}});
  if (r.is_datacentre_plan)
    j.update({{"is_datacentre_plan", true}, {"peak_concurrency", r.peak_concurrency}, {"hosts_on_end", r.hosts_on_end}});
  if (r.consolidation)
    j["consolidation"] = *r.consolidation;
}

void from_json(const nlohmann::json& j, RunResult& r)
{
  j.at("scenario").get_to(r.scenario);
  j.at("vm").get_to(r.vm);
  j.at("page_faults").get_to(r.page_faults);
  j.at("fault_wait_s").get_to(r.fault_wait_s);
  r.throttle_s = j.value("throttle_s", 0.0);  // absent in results written before auto-converge
  r.cpu_bound_s = j.value("cpu_bound_s", 0.0);  // absent in results written before the stream CPU rate
  r.has_stream_cpu_rate = j.value("has_stream_cpu_rate", false);
  j.at("energy_j").get_to(r.energy_j);
  j.at("source_energy_j").get_to(r.source_energy_j);
  j.at("destination_energy_j").get_to(r.destination_energy_j);
  j.at("has_energy").get_to(r.has_energy);
  j.at("vms").get_to(r.vms);
  j.at("policy").get_to(r.policy);
  j.at("seed").get_to(r.seed);
  j.at("status").get_to(r.status);
  j.at("migration_start_s").get_to(r.migration_start_s);
  j.at("total_time_s").get_to(r.total_time_s);
  j.at("downtime_s").get_to(r.downtime_s);
  j.at("lan_bytes").get_to(r.lan_bytes);
  j.at("san_bytes").get_to(r.san_bytes);
  j.at("rounds").get_to(r.rounds);
  j.at("memory_bytes").get_to(r.memory_bytes);
  j.at("page_size").get_to(r.page_size);
  j.at("lan_path_Bps").get_to(r.lan_path_Bps);
  j.at("san_path_Bps").get_to(r.san_path_Bps);
  j.at("has_io").get_to(r.has_io);
  j.at("io_baseline_Bps").get_to(r.io_baseline_Bps);
  j.at("io_penalty_s").get_to(r.io_penalty_s);
  j.at("io_recovery_s").get_to(r.io_recovery_s);
  j.at("round_log").get_to(r.round_log);
  j.at("samples").get_to(r.samples);
  r.source_host        = j.value("source_host", "");
  r.destination_host   = j.value("destination_host", "");
  r.bottleneck_link    = j.value("bottleneck_link", "");
  r.is_datacentre_plan = j.value("is_datacentre_plan", false);
  r.peak_concurrency   = j.value("peak_concurrency", 0);
  r.hosts_on_end       = j.value("hosts_on_end", 0);
  if (j.contains("consolidation"))
    r.consolidation = j.at("consolidation").get<ConsolidationOutcome>();
}

}  // namespace migsim
