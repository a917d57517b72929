#include "sim/scenario/qemu_record.hpp"

#include "models/dirty_rate_fit.hpp"
#include "models/policies/policy_registry.hpp"
#include "sim/scenario/json_field_reader.hpp"
#include "sim/scenario/json_file.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_name.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>

namespace migsim {

using nlohmann::json;

namespace {

constexpr double mib = 1024.0 * 1024.0;
// QEMU's defaults (qapi/migration.json), for a record without query-migrate-parameters.
constexpr double qemu_max_bandwidth   = 128 * mib;  // MAX_THROTTLE
constexpr double qemu_downtime_limit  = 300;        // ms
constexpr double qemu_multifd_channels = 2;
// A zero page on the wire: an 8-byte page header and one byte (QEMU's save_zero_page; docs/testbed.md).
constexpr double zero_page_wire_bytes = 9;
// A working set of at least this share of memory is imported as uniform dirtying over all pages: the
// fit cannot tell 95 % from 100 % within the noise of page sampling.
constexpr double uniform_share = 0.95;

template <typename... Args>
std::string format(const char* pattern, Args... args)
{
  char text[512];
  std::snprintf(text, sizeof text, pattern, args...);
  return text;
}

/// JsonFieldReader (located errors, types and bounds) plus what a record needs on top: null is
/// "absent" (the testbed writes null for "not set"), and a QMP reply may keep its {"return": ...}.
class RecordReader {
public:
  RecordReader(const json& record, const std::string& origin) : record_(record), in_(record, origin) {}

  /// There and not null, nor under a null (the testbed writes "guest_write_rate": null without a writer).
  bool present(const std::string& path) const
  {
    for (size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
      const std::string prefix = path.substr(0, end);
      if (!in_.has(prefix) || at(prefix).is_null())
        return false;
      if (end == std::string::npos)
        return true;
    }
  }
  const json& at(const std::string& path) const { return record_.at(json::json_pointer(path)); }
  /// `path`, or `path`/return when the value is a QMP reply as QEMU sends it.
  std::string reply(const std::string& path) const
  {
    return present(path) && at(path).is_object() && present(path + "/return") ? path + "/return" : path;
  }
  double number(const std::string& path, double fallback, double min, double max)
  {
    return present(path) ? in_.number(path, fallback, min, max) : fallback;
  }
  double required(const std::string& path, double min, double max, const std::string& what)
  {
    if (!present(path))
      fail(path, "missing: " + what);
    return in_.number(path, 0, min, max);
  }
  bool flag(const std::string& path)
  {
    if (!present(path))
      return false;
    if (!at(path).is_boolean())
      fail(path, "expected true or false, got " + describe_json_type(at(path)));
    return at(path).get<bool>();
  }
  std::string choice(const std::string& path, const std::string& fallback, const std::vector<std::string>& options)
  {
    return present(path) ? in_.choice(path, fallback, options) : fallback;
  }
  /// The length of the list at `path` (0 when absent); its elements are then readable by index.
  size_t list(const std::string& path) { return present(path) ? in_.array(path) : 0; }
  [[noreturn]] void fail(const std::string& path, const std::string& message) const { in_.fail(path, message); }

private:
  const json& record_;
  JsonFieldReader in_;
};

/// Capability name -> on: the testbed's `migration/capabilities` object, or QEMU's
/// `query-migrate-capabilities` reply (a list of {"capability", "state"}) as `migrate_capabilities`.
std::map<std::string, bool> read_capabilities(RecordReader& r)
{
  std::map<std::string, bool> on;
  const std::string object = "/migration/capabilities";
  if (r.present(object)) {
    if (!r.at(object).is_object())
      r.fail(object, "expected an object of capability -> true/false, got " + describe_json_type(r.at(object)));
    for (const auto& item : r.at(object).items())
      on[item.key()] = r.flag(object + "/" + item.key());
  }
  const std::string list = r.reply("/migrate_capabilities");
  for (size_t i = 0, n = r.list(list); i < n; ++i) {
    const std::string element = list + "/" + std::to_string(i);
    if (!r.present(element + "/capability") || !r.at(element + "/capability").is_string())
      r.fail(element + "/capability", "expected the capability's name, as query-migrate-capabilities gives it");
    on[r.at(element + "/capability").get<std::string>()] = r.flag(element + "/state");
  }
  return on;
}

/// calc-dirty-rate's results as windows of distinct dirty pages. QEMU reports the distinct pages
/// changed over calc-time as a rate in MiB/s, so pages = rate x calc-time / page size. Each element
/// is the testbed's {calc_time_ms, dirty_rate_mibps} or QEMU's query-dirty-rate reply
/// {calc-time, calc-time-unit, dirty-rate}.
std::vector<DirtyWindow> read_windows(RecordReader& r, double page_size, double pages)
{
  std::vector<DirtyWindow> windows;
  const std::string list = "/calc_dirty_rate";
  for (size_t i = 0, n = r.list(list); i < n; ++i) {
    const std::string element = r.reply(list + "/" + std::to_string(i));
    if (!r.at(element).is_object())
      r.fail(element, "expected a calc-dirty-rate result (an object), got " + describe_json_type(r.at(element)));
    const std::string status = r.choice(element + "/status", "measured", {"unstarted", "measuring", "measured"});
    if (status != "measured")
      r.fail(element + "/status", "is \"" + status + "\"; only a finished measurement (\"measured\") can be fitted");
    double seconds = 0;
    if (r.present(element + "/calc_time_ms"))
      seconds = r.number(element + "/calc_time_ms", 0, 1, 1e9) / 1000;
    else {
      const double unit = r.choice(element + "/calc-time-unit", "second", {"second", "millisecond"}) == "second" ? 1 : 1e-3;
      seconds = r.required(element + "/calc-time", 1, 1e9, "the window's length (calc_time_ms, or QEMU's calc-time)") * unit;
    }
    const std::string rate = r.present(element + "/dirty_rate_mibps") ? element + "/dirty_rate_mibps" : element + "/dirty-rate";
    const double mibps = r.required(rate, 0, 1e9, "the dirty rate in MiB/s (dirty_rate_mibps, or QEMU's dirty-rate)");
    // Page sampling scales a sample to the whole memory; it cannot count more pages than there are.
    windows.push_back({seconds, std::min(pages, mibps * mib / page_size * seconds)});
  }
  return windows;
}

std::string residual_text(const DirtyRateFit& fit)
{
  if (fit.windows == 0)
    return "no window: nothing fitted";
  return format("residual RMS %.0f pages = %.1f %% of the mean count, over %zu window%s", fit.rms_pages,
                100 * fit.relative_rms, fit.windows, fit.windows == 1 ? "" : "s");
}

}  // namespace

QemuImport import_qemu_record(const json& record, const std::string& origin, const std::string& name)
{
  RecordReader r(record, origin);
  QemuImport out;
  auto& report = out.report;

  // query-migrate after the end. QEMU's reply for a cancelled migration has no figures: the testbed
  // then keeps the last poll that had them.
  std::string qm = r.reply("/query_migrate_final");
  if (!r.present(qm))
    r.fail(qm, "missing: the query-migrate reply after the migration (QMP query-migrate)");
  const std::string final_status =
      r.present(qm + "/status") && r.at(qm + "/status").is_string() ? r.at(qm + "/status").get<std::string>() : "";
  const bool cancelled = final_status == "cancelled" || final_status == "cancelling";
  if (!r.present(qm + "/ram") && r.present("/query_migrate_last_with_ram"))
    qm = r.reply("/query_migrate_last_with_ram");
  const std::string ram = qm + "/ram";
  if (!r.present(ram))
    r.fail(ram, "missing: query-migrate's RAM figures (total, duplicate, page-size, ...)");

  // Memory. QEMU's ram.total is every RAM block it migrates (a little more than the guest's -m).
  const double page_size = r.number(ram + "/page-size", 4096, 512, 1 << 30);
  if (page_size != std::floor(page_size))
    r.fail(ram + "/page-size", "expected a whole number of bytes, got " + r.at(ram + "/page-size").dump());
  const double total = r.required(ram + "/total", page_size, 1e18, "QEMU's RAM size in bytes (ram.total)");
  const double pages = std::floor(total / page_size);
  // QEMU sends a zero page as a header (ram.duplicate counts them): migsim's free pages.
  const double zero_pages = r.number(ram + "/duplicate", 0, 0, 1e18);
  const double zero_share = std::min(1.0, zero_pages / pages);
  report.push_back(format("zero pages: %.0f of %.0f = %.4f of memory (ram.duplicate) -> /vm/free", zero_pages, pages,
                          zero_share));

  // Migration parameters and capabilities.
  const std::string mp = r.reply("/migrate_parameters");
  const auto defaulted = [&](const std::string& key) { return r.present(mp + "/" + key) ? "" : ", QEMU's default"; };
  const double cap         = r.number(mp + "/max-bandwidth", qemu_max_bandwidth, 0, 1e15);
  const double downtime_ms = r.number(mp + "/downtime-limit", qemu_downtime_limit, 1, 2e6);
  auto capabilities        = read_capabilities(r);
  const double syncs       = r.number(ram + "/dirty-sync-count", 0, 0, 1e12);
  const bool postcopy_sent = r.present("/postcopy_started_ms") && r.number("/postcopy_started_ms", 0, -1e12, 1e12) >= 0;
  const bool postcopy = capabilities["postcopy-ram"] && (postcopy_sent || r.number(ram + "/postcopy-bytes", 0, 0, 1e18) > 0);
  if (capabilities["postcopy-ram"] && !postcopy)
    report.push_back("postcopy-ram is on but post-copy never started (no postcopy_started_ms, ram.postcopy-bytes 0): "
                     "imported as pre-copy");

  // QEMU's options, kept where the policy has them (every pre-copying policy does, hybrid included).
  const std::string policy = postcopy ? "hybrid" : "precopy";
  const PolicyDeclaration& info = PolicyRegistry::instance().find(policy);
  json params              = json::object();
  std::vector<std::string> dropped;
  const auto set_param = [&](const std::string& key, double value) {
    for (const auto& spec : info.params)
      if (spec.name == key) {
        params[key] = std::clamp(value, spec.min, spec.max);
        return;
      }
    dropped.push_back(key);
  };
  if (postcopy) {
    // dirty-sync-count: one at set-up, one per live pass, one for the discard bitmap at the switch.
    set_param("precopy_rounds", std::max(1.0, syncs - 2));
    report.push_back(format("post-copy after %.0f live pass(es) (ram.dirty-sync-count %.0f - 2) -> policy hybrid, "
                            "/migration/params/precopy_rounds",
                            std::max(1.0, syncs - 2), syncs));
  }
  if (zero_pages > 0 && r.choice(mp + "/zero-page-detection", "legacy", {"none", "legacy", "multifd"}) != "none") {
    set_param("zero_page_detection", 1);
    set_param("zero_page_bytes", zero_page_wire_bytes);
  }
  if (capabilities["xbzrle"]) {
    set_param("xbzrle", 1);
    // XBZRLE's own counters: encoded pages, pages whose encoding overflowed (sent whole), misses.
    const std::string x   = qm + "/xbzrle-cache";
    const double encoded  = r.number(x + "/pages", 0, 0, 1e18);
    const double overflow = r.number(x + "/overflow", 0, 0, 1e18);
    const double missed   = r.number(x + "/cache-miss", 0, 0, 1e18);
    const double bytes    = r.number(x + "/bytes", 0, 0, 1e18);
    if (encoded + overflow > 0) {
      const double hit   = (encoded + overflow) / (encoded + overflow + missed);
      const double ratio = (bytes + overflow * page_size) / ((encoded + overflow) * page_size);
      set_param("xbzrle_hit_ratio", hit);
      set_param("xbzrle_compression_ratio", ratio);
      report.push_back(format("xbzrle: hit ratio %.4f = (pages + overflow) / (pages + overflow + cache-miss), "
                              "compression ratio %.4f = (bytes + overflow x page) / ((pages + overflow) x page) "
                              "-> /migration/params/xbzrle_hit_ratio, xbzrle_compression_ratio",
                              hit, ratio));
    }
  }
  if (capabilities["auto-converge"]) {
    set_param("auto_converge", 1);
    set_param("cpu_throttle_initial", r.number(mp + "/cpu-throttle-initial", 20, 1, 99) / 100);
    set_param("cpu_throttle_increment", r.number(mp + "/cpu-throttle-increment", 10, 1, 99) / 100);
    set_param("max_cpu_throttle", r.number(mp + "/max-cpu-throttle", 99, 1, 100) / 100);
    set_param("throttle_trigger_threshold", r.number(mp + "/throttle-trigger-threshold", 50, 1, 100) / 100);
    if (r.flag(mp + "/cpu-throttle-tailslow"))
      report.push_back("auto-converge: cpu-throttle-tailslow is on; migsim does not model it (steps as without it)");
  }
  if (!dropped.empty()) {
    std::string names;
    for (const auto& d : dropped)
      names += (names.empty() ? "" : ", ") + d;
    report.push_back("policy " + policy + " has no parameter " + names + " in this migsim: not imported");
  }
  const double streams = capabilities["multifd"] ? r.number(mp + "/multifd-channels", qemu_multifd_channels, 1, 256) : 1;

  // The dirtying: fitted (N, r), r fixed when the record counts the writes itself.
  const std::vector<DirtyWindow> windows = read_windows(r, page_size, pages);
  const std::string rate_path = "/guest_write_rate/pages_per_s_mean";
  std::optional<double> known_rate;
  if (r.present(rate_path))
    known_rate = r.number(rate_path, 0, 0, 1e12);
  if (windows.empty() && !known_rate)
    r.fail("/calc_dirty_rate", "missing: no dirty rate to import; give calc-dirty-rate results (calc_dirty_rate) "
                               "or the guest's own write rate (guest_write_rate/pages_per_s_mean)");
  const DirtyRateFit fit = fit_dirty_rate(windows, pages, known_rate);
  const double share     = fit.working_set_pages / pages;
  const bool uniform     = fit.kind == DirtyRateFit::Kind::Idle || share >= uniform_share;
  json dirty             = {{"pattern", uniform ? "uniform" : "hotset"}, {"rate", fit.write_rate_pages_per_s * page_size}};
  if (!uniform) {
    dirty["hot_fraction"] = share;
    dirty["hot_share"]    = 1.0;  // the law's single working set takes every write
  }
  const std::string how = to_string(fit.kind) + (fit.working_set_at_memory && fit.kind == DirtyRateFit::Kind::Fitted
                                                     ? ", held at memory" : "");
  report.push_back(format("working set N = %.0f pages = %.4f of memory (%s) -> /workload/dirty/%s; %s",
                          fit.working_set_pages, share, how.c_str(),
                          uniform ? "pattern uniform" : "hot_fraction, hot_share 1", residual_text(fit).c_str()));
  const std::string rate_source = fit.rate_given                                ? "given: " + rate_path
                                  : fit.kind == DirtyRateFit::Kind::Saturated ? "saturated: a lower bound"
                                                                              : to_string(fit.kind);
  report.push_back(format("write rate r = %.1f pages/s = %.0f B/s (%s) -> /workload/dirty/rate; %s",
                          fit.write_rate_pages_per_s, fit.write_rate_pages_per_s * page_size, rate_source.c_str(),
                          residual_text(fit).c_str()));

  // The link: at least the cap; QEMU's stop-and-copy is not held to it, so its rate is a lower bound
  // of what the link carries (lower still by the switch-over's fixed cost).
  const double downtime_s   = r.number(qm + "/downtime", 0, 0, 1e12) / 1000;
  const double stop_bytes   = r.number(ram + "/downtime-bytes", 0, 0, 1e18);
  const double stop_rate    = downtime_s > 0 ? stop_bytes / downtime_s : 0;
  const double lan          = std::max(cap, stop_rate);
  report.push_back(format("max-bandwidth %.0f B/s%s -> /migration/bandwidth_cap; downtime-limit %.0f ms%s -> "
                          "/migration/downtime_limit",
                          cap, defaulted("max-bandwidth"), downtime_ms, defaulted("downtime-limit")));
  if (lan > 0)
    report.push_back(stop_rate > 0 ? format("LAN bandwidth %.0f B/s = the larger of max-bandwidth and the stop-and-copy "
                                            "rate (ram.downtime-bytes / downtime = %.0f B/s) -> /platform/lan/bandwidth",
                                            lan, stop_rate)
                                   : format("LAN bandwidth %.0f B/s = max-bandwidth (no stop-and-copy figures) -> "
                                            "/platform/lan/bandwidth", lan));

  json& s = out.scenario;
  // The name comes from the record's /case or its file name, which need not fit a scenario name (too long,
  // a tab, bytes that are not UTF-8): it is made to fit, and the report says so.
  const bool has_case     = r.present("/case") && r.at("/case").is_string();
  const std::string given = has_case ? r.at("/case").get<std::string>() : name;
  const std::string fitted_name = name_from_text(given, max_scenario_name_bytes - 5);
  if (fitted_name != given)
    report.push_back(std::string(has_case ? "/case" : "the file name") + " \"" + given +
                     "\" does not fit a scenario name (at most " + std::to_string(max_scenario_name_bytes) +
                     " bytes of UTF-8 text, no '/', '\\' or control characters): /name is \"qemu-" + fitted_name + "\"");
  s["name"] = "qemu-" + fitted_name;
  if (lan > 0)
    s["platform"]["lan"]["bandwidth"] = lan;
  s["vm"] = {{"memory", static_cast<long long>(pages * page_size)},
             {"page_size", static_cast<long long>(page_size)},
             {"page_cache", {{"clean", 0}, {"dirty", 0}}},
             {"free", zero_share}};
  s["workload"] = {{"dirty", dirty}, {"io", {{"profile", "none"}}}};
  // QEMU has no round or byte limit: only the driver's time-out stops a migration that does not converge.
  s["migration"] = {{"policy", policy},
                    {"params", params},
                    {"downtime_limit", downtime_ms / 1000},
                    {"bandwidth_cap", cap},
                    {"streams", static_cast<long long>(streams)},
                    {"max_rounds", 100000},
                    {"max_bytes_factor", 1e6}};
  const double timeout_s = r.number("/migration/timeout_s", 0, 0, 1e9);
  if (timeout_s > 0)
    s["migration"]["max_time"] = timeout_s;
  if (cancelled) {
    // Not a completed migration: the driver gave up on it. A run of the scenario is cancelled at the same
    // time (status "cancelled"), not forced to a stop-and-copy whose time and downtime QEMU never had.
    const double cancel_s =
        timeout_s > 0 ? timeout_s : r.required(qm + "/total-time", 1, 1e12, "the migration's time until the cancel (total-time)") / 1000;
    s["migration"]["max_time"]    = cancel_s;
    s["migration"]["at_max_time"] = "cancel";
    report.insert(report.begin(),
                  format("the record is a migration QEMU did not complete: the driver cancelled it after %.1f s "
                         "(query-migrate status \"%s\"), as it had not converged -> /migration/max_time %.1f s, "
                         "/migration/at_max_time \"cancel\": a run ends with status cancelled, not a forced "
                         "stop-and-copy; compare what was sent (live_bytes) and that it did not converge, not a total "
                         "time or downtime",
                         cancel_s, final_status.c_str(), cancel_s));
  }

  parse_scenario(s, origin + " (imported scenario)");  // a record must never give a scenario migsim refuses
  return out;
}

QemuImport import_qemu_record(const std::string& path)
{
  return import_qemu_record(read_json_file(path), path, std::filesystem::path(path).stem().string());
}

}  // namespace migsim
