#include "sim/validation/analytic_reference.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

namespace migsim {
namespace {

/// Pre-copy by hand: round i + 1 sends what `dirtied(seconds)` says the guest wrote during round i.
std::map<std::string, double> precopy(const Scenario& s, double bandwidth,
                                      const std::function<double(double)>& dirtied)
{
  const MigrationLimits& l = s.migration.limits;
  const double memory      = static_cast<double>(s.memory.page_count * s.memory.page_size);
  double v = memory, sent = 0, time = 0;
  for (int round = 0;; ++round) {
    const bool last = round > 0 && (v <= bandwidth * l.downtime_limit_s || round >= l.max_rounds ||
                                    sent + v > l.max_bytes_factor * memory || time >= l.max_time_s);
    sent += v;
    time += v / bandwidth;
    if (last) {
      // The switch-over: the device state follows the last pages, then the destination resumes.
      const double device = s.migration.switchover.device_state_bytes, resume = s.migration.switchover.resume_s;
      return {{"total_time", time + device / bandwidth + resume}, {"downtime", (v + device) / bandwidth + resume},
              {"lan_bytes", sent + device}, {"san_bytes", 0}, {"moved_bytes", sent + device},
              {"live_rounds", round}};
    }
    v = dirtied(v / bandwidth);
  }
}

}  // namespace

const char* analytic_model_names()
{
  return "precopy-sequential, precopy-uniform, san-restore, san-adaptive";
}

std::map<std::string, double> analytic_reference(const std::string& model, const Scenario& s, const RunResult& run)
{
  const double memory   = static_cast<double>(s.memory.page_count * s.memory.page_size);
  const double dirty_Bps = s.dirtying.pages_per_s * static_cast<double>(s.memory.page_size);
  const double b_lan = run.lan_path_Bps, b_san = run.san_path_Bps;
  if (model == "precopy-sequential")
    return precopy(s, b_lan, [&](double t) { return std::min(memory, dirty_Bps * t); });
  if (model == "precopy-uniform")
    return precopy(s, b_lan, [&](double t) { return memory * (1 - std::exp(-dirty_Bps * t / memory)); });
  // The cache the SAN policies restore: the clean share of pages, rounded as GuestMemory rounds it.
  const double cache = std::floor(s.memory.clean_cache_share * static_cast<double>(s.memory.page_count)) *
                       static_cast<double>(s.memory.page_size);
  // Every switch-over sends the device state and resumes (docs/model.md); nothing is dirtied here.
  const double device = s.migration.switchover.device_state_bytes;
  const double switchover_s = device / b_lan + s.migration.switchover.resume_s;
  if (model == "san-restore") {
    const auto it       = s.migration.params.find("map_time_per_GiB");
    const double map_s  = (it == s.migration.params.end() ? 0 : it->second) * cache / 1073741824.0;
    return {{"total_time", map_s + std::max((memory - cache) / b_lan, cache / b_san) + switchover_s},
            {"downtime", switchover_s}, {"lan_bytes", memory - cache + device}, {"san_bytes", cache},
            {"moved_bytes", memory + device}};
  }
  if (model == "san-adaptive")
    return {{"total_time", std::max(memory / (b_lan + b_san), (memory - cache) / b_lan) + switchover_s},
            {"downtime", switchover_s}, {"moved_bytes", memory + device}};
  throw std::invalid_argument("unknown model \"" + model + "\"; expected one of: " + analytic_model_names());
}

}  // namespace migsim
