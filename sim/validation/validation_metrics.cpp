#include "sim/validation/validation_metrics.hpp"

#include "sim/scenario/whole_number.hpp"

#include <cstdio>
#include <stdexcept>

namespace migsim {
namespace {

const char* metric_list =
    "total_time, downtime, lan_bytes, san_bytes, moved_bytes, live_rounds, live_bytes, converged, round[i].bytes, round[i].time, round[last].bytes, "
    "round[last].time, later_rounds_time, or any of these as vm[k].<metric>";

constexpr uint64_t max_index = 1000000;  // beyond any VM count or round limit

struct ParsedMetric {
  int vm = -1;          // -1: the run's own result
  std::string base;     // total_time, ..., "round.bytes", "round.time"
  int round     = 0;    // for round.*: the index, or -1 for the last round
};

ParsedMetric parse_metric(const std::string& metric)
{
  ParsedMetric m;
  std::string rest = metric;
  auto index       = [&](const std::string& prefix, bool allow_last) {
    if (rest.rfind(prefix + "[", 0) != 0)
      return false;
    const auto close = rest.find("].", prefix.size());
    if (close == std::string::npos)
      throw std::invalid_argument("unknown metric \"" + metric + "\"; expected " + metric_list);
    const std::string inside = rest.substr(prefix.size() + 1, close - prefix.size() - 1);
    int value                = -1;
    if (!(allow_last && inside == "last")) {
      const auto number = parse_whole_number(inside, max_index);
      if (!number)
        throw std::invalid_argument("unknown metric \"" + metric + "\": the index must be a whole number from 0 to " +
                                    std::to_string(max_index) + "; expected " + metric_list);
      value = static_cast<int>(*number);
    }
    (prefix == "vm" ? m.vm : m.round) = value;
    rest = (prefix == "vm" ? "" : prefix + ".") + rest.substr(close + 2);
    return true;
  };
  index("vm", false);
  index("round", true);
  for (const char* known : {"total_time", "downtime", "lan_bytes", "san_bytes", "moved_bytes", "live_rounds", "live_bytes", "converged", "round.bytes",
                            "round.time", "later_rounds_time"})
    if (rest == known) {
      m.base = rest;
      return m;
    }
  throw std::invalid_argument("unknown metric \"" + metric + "\"; expected " + metric_list);
}

}  // namespace

std::optional<Quantity> metric_quantity(const std::string& metric)
{
  const std::string base = parse_metric(metric).base;
  if (base == "live_rounds" || base == "converged")
    return std::nullopt;
  if (base == "lan_bytes" || base == "live_bytes" || base == "san_bytes" || base == "moved_bytes" || base == "round.bytes")
    return Quantity::Bytes;
  return Quantity::Duration;
}

std::string default_display_unit(const std::string& metric)
{
  const auto kind = metric_quantity(metric);
  return !kind ? "" : *kind == Quantity::Bytes ? "MiB" : "s";
}

std::optional<double> metric_value(const RunResult& result, const std::string& metric)
{
  const ParsedMetric m = parse_metric(metric);
  const RunResult* r   = &result;
  if (m.vm >= 0) {
    if (static_cast<size_t>(m.vm) >= result.vms.size())
      return std::nullopt;
    r = &result.vms[static_cast<size_t>(m.vm)];
  }
  if (m.base == "total_time")
    return r->total_time_s;
  if (m.base == "downtime")
    return r->downtime_s;
  if (m.base == "lan_bytes")
    return static_cast<double>(r->lan_bytes);
  if (m.base == "san_bytes")
    return static_cast<double>(r->san_bytes);
  if (m.base == "moved_bytes")
    return static_cast<double>(r->lan_bytes + r->san_bytes);
  if (m.base == "live_rounds")
    return r->rounds;
  if (m.base == "converged")
    return r->status == "ok" ? 1.0 : 0.0;
  if (m.base == "live_bytes") {
    double sum = 0;
    for (const RoundRecord& round : r->round_log)
      if (round.phase == "live")
        sum += static_cast<double>(round.lan_bytes);
    return sum;
  }
  if (m.base == "later_rounds_time") {
    double sum = 0;
    for (const RoundRecord& round : r->round_log)
      if (round.round >= 1 && round.phase == "live")
        sum += round.duration_s;
    return sum;
  }
  if (r->round_log.empty())
    return std::nullopt;
  const RoundRecord* round = m.round < 0 ? &r->round_log.back() : nullptr;
  for (const RoundRecord& candidate : r->round_log)
    if (candidate.round == m.round)
      round = &candidate;
  if (!round)
    return std::nullopt;
  return m.base == "round.bytes" ? static_cast<double>(round->lan_bytes) : round->duration_s;
}

std::string format_in_unit(double value, const std::string& unit)
{
  double factor = 1;
  for (Quantity kind : {Quantity::Bytes, Quantity::Duration})
    try {
      if (!unit.empty()) {
        factor = parse_quantity("1" + unit, kind);
        break;
      }
    } catch (const UnitError&) {
    }
  char text[64];
  std::snprintf(text, sizeof text, "%.6g%s%s", value / factor, unit.empty() ? "" : " ", unit.c_str());
  return text;
}

}  // namespace migsim
