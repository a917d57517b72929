// What one simulated migration produced: the metrics of summary.csv, one record per round for
// rounds.csv and one sample per interval for timeseries.csv (docs/outputs.md defines every field).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migsim {

struct RoundRecord {
  int round;                ///< 0-based; the stop-and-copy round is the last one
  std::string phase;        ///< "live", "before_post_copy" (the last live round of a post-copy run) or "stop_and_copy"
  double start_s;           ///< since migration start
  double duration_s;
  uint64_t lan_bytes;       ///< sent over the LAN in this round
  uint64_t san_bytes;       ///< SAN restore requested in this round
  uint64_t pages_sent;
  uint64_t pages_dirtied;   ///< pages found dirty at the end of the round (to send next)
  uint64_t remaining_bytes; ///< pages_dirtied x page size
};

struct Sample {
  double time_s;            ///< since migration start (negative before it)
  double lan_Bps;           ///< mean LAN migration throughput over the interval ending here
  double san_restore_Bps;   ///< mean SAN restore throughput over the interval
  double san_guest_Bps;     ///< mean storage throughput of the guest's own IO over the interval
  double io_Bps;            ///< guest IO throughput (request bytes completed per second)
  double cache_hit_ratio;   ///< page reads served from the cache / all page reads (-1: no reads)
  uint64_t dirty_pages;     ///< pages written since they were last sent
};

/// A consolidation's state at one decision (datacentre_timeseries.csv).
struct ConsolidationPeriod {
  double time_s          = 0;
  int active_hosts       = 0;  ///< switched on, after the decision
  int migrations_started = 0;  ///< by this decision
  int migrations_running = 0;  ///< in flight after it
  double power_W         = 0;  ///< the active hosts' draw after it, at the VMs' requested utilisation
};

/// A consolidation's own result (datacentre.csv; docs/consolidation.md defines each metric).
struct ConsolidationOutcome {
  std::string policy;
  size_t hosts = 0, vms = 0, periods = 0;
  double energy_kwh = 0, slatah = 0, pdm = 0, slav = 0, esv = 0;
  long migrations = 0, shutdowns = 0;
  double mean_migration_s = 0;  ///< over the migrations that ended
  double mean_downtime_s  = 0;
  std::vector<ConsolidationPeriod> timeline;
};

struct RunResult {
  std::string scenario;
  std::string vm;               ///< the VM's name (several VMs: one result each, plus the plan's)
  std::string policy;
  uint64_t seed = 0;
  std::string status;
  double migration_start_s = 0;
  double total_time_s      = 0;
  double downtime_s        = 0;
  uint64_t lan_bytes       = 0;
  uint64_t san_bytes       = 0;
  int rounds               = 0;  ///< live rounds (the stop-and-copy round is not counted)
  uint64_t page_faults     = 0;  ///< post-copy: pages the guest touched before they arrived
  double fault_wait_s      = 0;  ///< post-copy: time the guest waited on them
  double throttle_s        = 0;  ///< auto-converge: guest CPU-seconds taken away (throttle x time)
  double cpu_bound_s       = 0;  ///< time some LAN stream moved at its stream CPU rate (the limit bound)
  bool has_stream_cpu_rate = false;  ///< /migration/stream_cpu_rate is set (else cpu_bound_s is not defined)
  double energy_j          = 0;  ///< hosts over the migration, plus network and storage per byte
  double source_energy_j   = 0;  ///< the source host over the migration
  double destination_energy_j = 0;
  bool has_energy          = false;
  bool has_io              = false;
  double io_baseline_Bps   = 0;
  double io_penalty_s      = 0;
  double io_recovery_s     = 0;
  uint64_t memory_bytes    = 0;
  uint64_t page_size       = 0;
  double lan_path_Bps      = 0;  ///< nominal bottleneck bandwidth of the source -> destination route
  double san_path_Bps      = 0;  ///< nominal bottleneck bandwidth of the storage -> destination route
  std::vector<RoundRecord> round_log;
  std::vector<Sample> samples;
  std::vector<RunResult> vms;  ///< host evacuation: one result per VM (this one is the plan's)
  // A data centre's migration (docs/datacentre.md): its hosts and the narrowest link of its route.
  std::string source_host, destination_host, bottleneck_link;
  // A data centre's plan (its own result, the migrations in `vms`).
  bool is_datacentre_plan = false;
  int peak_concurrency    = 0;  ///< most migrations running at once
  int hosts_on_end        = 0;  ///< hosts still switched on when the plan ends
  std::optional<ConsolidationOutcome> consolidation;  ///< a consolidation's run (its migrations in `vms`)
};

/// Adds one migration to its plan's row: the first non-ok status, the largest downtime, sums of the rest.
void add_to_plan_row(RunResult& plan, const RunResult& migration);

void to_json(nlohmann::json& j, const Sample& s);
void from_json(const nlohmann::json& j, Sample& s);
void to_json(nlohmann::json& j, const RunResult& r);
void from_json(const nlohmann::json& j, RunResult& r);

}  // namespace migsim
