// The metrics a validation check can name, read from a RunResult, and how they print.
//   total_time, downtime (s); lan_bytes, san_bytes, moved_bytes = lan + san (bytes); live_rounds (count);
//   live_bytes: LAN bytes of the live rounds (lan_bytes without the stop-and-copy: what a hypervisor
//   had sent when a migration that did not converge was cancelled);
//   converged: 1 when the run ended with status ok, 0 otherwise (time_limit, round_limit, ...);
//   round[i].bytes, round[i].time: round i of rounds.csv (0 = the first live round); round[last].*
//   is the stop-and-copy round; later_rounds_time: the live rounds after the first, summed (the
//   "further iterations" of Clark et al.);
//   vm[k].<metric>: the same for VM k (0-based) of a scenario with several VMs.
#pragma once

#include "models/units.hpp"
#include "sim/engine/run_result.hpp"

#include <optional>
#include <string>

namespace migsim {

/// The kind of quantity `metric` is (nullopt: a plain count); throws std::invalid_argument naming the
/// valid metrics when it is none of them.
std::optional<Quantity> metric_quantity(const std::string& metric);

/// The unit a metric prints in when its figure gives none: s, MiB or nothing.
std::string default_display_unit(const std::string& metric);

/// The metric's value in SI units; nullopt when the run has no such round or VM.
std::optional<double> metric_value(const RunResult& result, const std::string& metric);

/// `value` (SI units) in `unit` ("MiB", "MB", "ms", "s", "GiB", ...), e.g. "676.8 MiB".
std::string format_in_unit(double value, const std::string& unit);

}  // namespace migsim
