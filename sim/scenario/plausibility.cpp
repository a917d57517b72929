#include "sim/scenario/plausibility.hpp"

#include "models/units.hpp"
#include "sim/scenario/scenario.hpp"

#include <cstdio>
#include <limits>

namespace migsim {

namespace {

struct PlausibleRange {
  const char* path;
  Quantity kind;
  const char* what;  ///< the key in words
  const char* low;   ///< "" = no lower bound (0 is a meaningful value)
  const char* high;
  bool zero_is_off = false;  ///< 0 switches the setting off: plausible whatever `low`
};

// The one table of plausible ranges (docs/scenario.md, "Implausible values", lists the same).
// Generous: a warning is for a value off by a unit (x1000 or more), not for an unusual setup.
const PlausibleRange plausible_ranges[] = {
    {"/platform/lan/bandwidth", Quantity::Rate, "a LAN bandwidth", "1Mbps", "10Tbps"},
    {"/platform/lan/latency", Quantity::Duration, "a LAN latency", "", "1s"},
    {"/platform/san/bandwidth", Quantity::Rate, "a SAN bandwidth", "1Mbps", "10Tbps"},
    {"/platform/san/latency", Quantity::Duration, "a SAN latency", "", "1s"},
    {"/platform/storage/read_bandwidth", Quantity::Rate, "a storage read bandwidth", "1MBps", "1TBps"},
    {"/platform/storage/access_time", Quantity::Duration, "a storage access time", "", "1s"},
    {"/vm/memory", Quantity::Bytes, "a VM's memory", "16MiB", "64TiB"},
    {"/vm/page_size", Quantity::Bytes, "a page size", "512B", "1GiB"},  // below 512 B the loader refuses
    {"/workload/dirty/rate", Quantity::Rate, "a dirty rate", "", "1TBps"},
    {"/workload/io/request_size", Quantity::Bytes, "an IO request size", "512B", "1GiB"},
    {"/migration/downtime_limit", Quantity::Duration, "a downtime limit", "1ms", "60s"},
    {"/migration/max_time", Quantity::Duration, "a migration time limit", "1s", "720h"},
    {"/migration/start", Quantity::Duration, "a migration start", "", "720h"},
    {"/migration/chunk", Quantity::Bytes, "a transfer chunk", "4KiB", "64GiB"},
    {"/migration/stream_cpu_rate", Quantity::Rate, "a stream CPU rate", "1MBps", "10Tbps", true},
    {"/output/sample_interval", Quantity::Duration, "a sample interval", "1us", "1h"},
    {"/datacentre/spine/bandwidth", Quantity::Rate, "a spine bandwidth", "1Mbps", "1000Tbps"},
    {"/datacentre/spine/latency", Quantity::Duration, "a spine latency", "", "1s"},
    {"/datacentre/storage_bandwidth", Quantity::Rate, "a storage array's bandwidth", "1MBps", "1TBps"},
};

const char* si_unit(Quantity kind)
{
  switch (kind) {  // no default: a new kind must be named here (-Wswitch)
    case Quantity::Bytes: return "bytes";
    case Quantity::Rate: return "bytes/s";
    case Quantity::Duration: return "seconds";
  }
  return "";
}

}  // namespace

std::vector<PlausibilityWarning> implausible_values(const Scenario& scenario)
{
  std::vector<PlausibilityWarning> warnings;
  for (const PlausibleRange& range : plausible_ranges) {
    const nlohmann::json::json_pointer pointer(range.path);
    if (!scenario.resolved.contains(pointer))
      continue;
    const nlohmann::json& value = scenario.resolved.at(pointer);
    double si                   = 0;
    try {
      si = value.is_number() ? value.get<double>() : parse_quantity(value.get<std::string>(), range.kind);
    } catch (const std::exception&) {
      continue;  // the loader has already accepted it; nothing to say here
    }
    const double low  = *range.low ? parse_quantity(range.low, range.kind) : -std::numeric_limits<double>::infinity();
    const double high = parse_quantity(range.high, range.kind);
    if ((si >= low && si <= high) || (range.zero_is_off && si == 0))
      continue;
    std::string message = value.dump() + " is ";
    if (value.is_number())
      message += "a bare number, so " + std::string(si_unit(range.kind)) + "; ";
    message += "that is implausible for " + std::string(range.what) + " (plausible: " +
               (*range.low ? std::string(range.low) + " to " : std::string("up to ")) + range.high + ")";
    warnings.push_back({range.path, message});
  }
  return warnings;
}

void print_plausibility_warnings(const Scenario& scenario)
{
  for (const PlausibilityWarning& w : implausible_values(scenario))
    std::fprintf(stderr, "migsim: warning: %s: %s: %s\n", scenario.origin.c_str(), w.path.c_str(), w.message.c_str());
}

}  // namespace migsim
