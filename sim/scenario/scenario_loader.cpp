#include "sim/scenario/scenario_loader.hpp"

#include "sim/scenario/consolidation_loader.hpp"
#include "sim/scenario/datacentre_loader.hpp"
#include "sim/scenario/json_field_reader.hpp"
#include "sim/scenario/json_file.hpp"
#include "sim/scenario/scenario_name.hpp"
#include "models/policies/policy_registry.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <sstream>

namespace migsim {

using nlohmann::json;

namespace {
#include "default_scenario.inc"  // const char* default_scenario_text, generated from scenarios/default.json

constexpr double max_chunk_bytes = 1125899906842624.0;  // 1 PiB: more than any guest, still exact as an integer
constexpr long long max_pages = 1LL << 32;  // 16 TiB of 4 KiB pages: far beyond any guest of interest
constexpr size_t max_trace_file_bytes = size_t{64} << 20;  // docs/scenario.md; a parsed trace takes a few times this
constexpr double max_dirty_rate_Bps   = 1e11;  // 100 GB/s of page writes: beyond any guest; 1e11 runs in about a minute
constexpr size_t max_vms              = 1000;  // SimGrid aborts somewhere below 10 000 concurrent migrations

/// The name becomes a folder name (results/NAME-TIME): one plain path component, or an input error.
std::string read_name(JsonFieldReader& r)
{
  const std::string name = r.text("/name", "unnamed");
  std::string problem;
  if (name.empty() || name.size() > max_scenario_name_bytes)
    problem = "must be 1 to " + std::to_string(max_scenario_name_bytes) + " bytes long";
  else if (name.front() == '.' || name.front() == '-')
    problem = "must not start with '.' or '-'";
  for (unsigned char c : name)
    if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f)
      problem = "must not contain '/', '\\' or control characters";
  if (!problem.empty())
    r.fail("/name", problem + " (it becomes the name of the results folder), got " + json(name).dump(-1, ' ', false, json::error_handler_t::replace));
  return name;
}

/// SimGrid 3.32 aborts ("The Impossible Did Happen") on a host of speed 0 or a link of bandwidth 0:
/// every speed="..." and bandwidth="..." of the platform file must start with a positive number.
void check_platform_values(const JsonFieldReader& r, const std::string& file)
{
  std::string xml;
  try {
    xml = read_text_file(file, max_data_file_bytes, "platform file");
  } catch (const ScenarioError& e) {
    r.fail("/platform/file", "cannot read platform file \"" + file + "\": " + e.message());
  }
  for (const std::string attribute : {" speed=\"", " bandwidth=\""})
    for (size_t at = xml.find(attribute); at != std::string::npos; at = xml.find(attribute, at + 1)) {
      const size_t start = at + attribute.size();
      const std::string value = xml.substr(start, xml.find('"', start) - start);
      for (size_t from = 0; from <= value.size();) {  // a speed may list one per power state: "1Gf,0.5Gf"
        const size_t comma = std::min(value.find(',', from), value.size());
        const double x     = std::strtod(value.substr(from, comma - from).c_str(), nullptr);
        if (!(x > 0) || !std::isfinite(x))
          r.fail("/platform/file", "platform file \"" + file + "\" has" + attribute + value +
                                       "\" at line " + std::to_string(1 + std::count(xml.begin(), xml.begin() + static_cast<long>(at), '\n')) +
                                       "; SimGrid needs a positive speed and bandwidth");
        from = comma + 1;
      }
    }
}

/// The value at `path` as the scenario gave it (or its default), for messages.
std::string given(const JsonFieldReader& r, const std::string& path)
{
  return r.resolved()[json::json_pointer(path)].dump();
}

void read_platform(JsonFieldReader& r, PlatformSpec& p, const std::string& base_dir)
{
  p.network_model    = r.choice("/platform/network_model", "CM02", {"CM02", "LV08"});
  p.storage_access_s = r.quantity("/platform/storage/access_time", Quantity::Duration, "5ms", true);
  EnergySpec& e      = p.energy;
  const double GiB   = 1073741824.0;
  e.enabled          = r.integer("/platform/energy/enabled", 0, 0, 1) == 1;
  e.idle_W           = r.number("/platform/energy/idle_power", 100, 0, 1e6);
  e.busy_W           = r.number("/platform/energy/busy_power", 200, 0, 1e6);
  e.send_cpu_per_byte = r.quantity("/platform/energy/send_cpu_per_GiB", Quantity::Duration, "0.5s", true) / GiB;
  e.recv_cpu_per_byte = r.quantity("/platform/energy/receive_cpu_per_GiB", Quantity::Duration, "0.5s", true) / GiB;
  e.network_J_per_byte = r.number("/platform/energy/network_J_per_GiB", 0, 0, 1e9) / GiB;
  e.storage_J_per_byte = r.number("/platform/energy/storage_J_per_GiB", 0, 0, 1e9) / GiB;
  if (e.busy_W < e.idle_W)
    r.fail("/platform/energy/busy_power", "must be at least /platform/energy/idle_power");
  if (r.has("/platform/file")) {
    std::string file = r.text("/platform/file", "");
    p.file           = std::filesystem::path(file).is_absolute() ? file : (std::filesystem::path(base_dir) / file).string();
    check_platform_values(r, p.file);
    p.source_host      = r.text("/platform/source_host", "");
    p.destination_host = r.text("/platform/destination_host", "");
    p.storage_host     = r.text("/platform/storage_host", "");
    for (const char* key : {"/platform/source_host", "/platform/destination_host"})
      if (r.text(key, "").empty())
        r.fail(key, "a platform file needs the name of this host");
    if (p.destination_host == p.source_host)
      r.fail("/platform/destination_host", "must differ from /platform/source_host, got \"" + p.source_host + "\" for both");
    return;
  }
  p.lan_Bps          = r.quantity("/platform/lan/bandwidth", Quantity::Rate, "1Gbps");
  p.lan_latency_s    = r.quantity("/platform/lan/latency", Quantity::Duration, "100us", true);
  p.san_Bps          = r.quantity("/platform/san/bandwidth", Quantity::Rate, "8Gbps");
  p.san_latency_s    = r.quantity("/platform/san/latency", Quantity::Duration, "50us", true);
  p.storage_read_Bps = r.quantity("/platform/storage/read_bandwidth", Quantity::Rate, "800MBps");
}

void read_memory(JsonFieldReader& r, MemoryLayout& m)
{
  const double bytes = r.quantity("/vm/memory", Quantity::Bytes, "4GiB");
  const double page  = r.quantity("/vm/page_size", Quantity::Bytes, "4KiB");
  if (page != std::floor(page) || page < 512)
    r.fail("/vm/page_size", "must be a whole number of bytes, at least 512, got " + given(r, "/vm/page_size"));
  const double pages = std::floor(bytes / page);
  if (pages < 1 || pages > static_cast<double>(max_pages))
    r.fail("/vm/memory", "must hold between 1 and 2^32 pages of /vm/page_size (" + given(r, "/vm/page_size") + "), got " +
                             given(r, "/vm/memory"));
  m.page_size         = static_cast<uint64_t>(page);
  m.page_count        = static_cast<uint64_t>(pages);
  m.clean_cache_share = r.fraction("/vm/page_cache/clean", 0.5);
  m.dirty_cache_share = r.fraction("/vm/page_cache/dirty", 0.02);
  m.free_share        = r.fraction("/vm/free", 0.1);
  if (m.clean_cache_share + m.dirty_cache_share > 1)
    r.fail("/vm/page_cache", "page cache (clean + dirty) is larger than memory: " + given(r, "/vm/page_cache/clean") +
                                 " + " + given(r, "/vm/page_cache/dirty") + " > 1");
  if (m.clean_cache_share + m.dirty_cache_share + m.free_share > 1 + 1e-12)
    r.fail("/vm/free", "page cache plus free memory is larger than memory: " + given(r, "/vm/page_cache/clean") + " + " +
                           given(r, "/vm/page_cache/dirty") + " + " + given(r, "/vm/free") + " > 1");
}

const std::vector<std::string> dirty_pattern_names{"uniform", "hotset", "sequential", "zipf"};  // DirtyPattern order

// One stretch of the dirtying workload at `at` ("/workload/dirty" or a phase), missing keys from `base`.
DirtyingPhase read_dirty_stretch(JsonFieldReader& r, const std::string& at, const DirtyingPhase& base, double page_size,
                                 const json& rate_fallback)
{
  DirtyingPhase p     = base;
  const auto pattern  = r.choice(at + "/pattern", dirty_pattern_names[static_cast<int>(base.pattern)], dirty_pattern_names);
  p.pattern           = static_cast<DirtyPattern>(
      std::find(dirty_pattern_names.begin(), dirty_pattern_names.end(), pattern) - dirty_pattern_names.begin());
  p.pages_per_s   = r.quantity(at + "/rate", Quantity::Rate, rate_fallback, true) / page_size;
  if (p.pages_per_s * page_size > max_dirty_rate_Bps)
    r.fail(at + "/rate", "must be at most 1e11 bytes/s (100 GB/s of page writes), got " + given(r, at + "/rate"));
  p.hot_fraction  = r.fraction(at + "/hot_fraction", base.hot_fraction);
  p.hot_share     = r.fraction(at + "/hot_share", base.hot_share);
  p.zipf_exponent = r.number(at + "/zipf_exponent", base.zipf_exponent, 0.01, 10);
  if (p.hot_fraction == 0)
    r.fail(at + "/hot_fraction", "must be greater than 0, got " + given(r, at + "/hot_fraction"));
  return p;
}

// Dirtying over time: phases (a list of stretches from given guest times on) or a trace file, a
// page trace or a rate series (docs/model.md, "Workload models").
void read_dirtying_over_time(JsonFieldReader& r, DirtyingSpec& d, const MemoryLayout& memory, const std::string& base_dir)
{
  const double page_size = static_cast<double>(memory.page_size);
  const size_t phases    = r.array("/workload/dirty/phases");
  DirtyingPhase previous{0, d.pattern, d.pages_per_s, d.hot_fraction, d.hot_share, d.zipf_exponent};
  for (size_t i = 0; i < phases; ++i) {
    const std::string at = "/workload/dirty/phases/" + std::to_string(i);
    if (!r.has(at + "/at"))
      r.fail(at, "a phase needs \"at\": the guest time it starts (and may change rate, pattern, hot_fraction, "
                 "hot_share, zipf_exponent)");
    DirtyingPhase p = read_dirty_stretch(r, at, previous, page_size, previous.pages_per_s * page_size);
    p.at_s          = r.quantity(at + "/at", Quantity::Duration, 0, true);
    if (i > 0 && p.at_s <= previous.at_s)
      r.fail(at + "/at", "phases must start at increasing times");
    d.phases.push_back(p);
    previous = p;
  }
  if (!r.has("/workload/dirty/trace"))
    return;
  const std::string file = r.text("/workload/dirty/trace", "");
  const std::string path =
      std::filesystem::path(file).is_absolute() ? file : (std::filesystem::path(base_dir) / file).string();
  if (phases > 0)
    r.fail("/workload/dirty/trace", "cannot be combined with /workload/dirty/phases (both change dirtying over time)");
  std::string text;
  try {
    text = read_text_file(path, max_trace_file_bytes, "trace file", max_csv_line_bytes);
  } catch (const ScenarioError& e) {
    r.fail("/workload/dirty/trace", "cannot read trace file \"" + path + "\": " + e.message());
  }
  std::istringstream in(text);
  DirtyTrace trace;
  try {
    trace = parse_dirty_trace(in, memory.page_count);
  } catch (const DirtyTraceError& e) {
    throw ScenarioError(path, e.where(), e.what());
  }
  if (trace.kind == DirtyTrace::Kind::Rates) {
    d.phases = phases_from_rates(trace, d, page_size);
    for (const DirtyingPhase& p : d.phases)
      if (!(p.pages_per_s * page_size <= max_dirty_rate_Bps) || !(p.at_s <= max_duration_s))
        throw ScenarioError(path, "", "a rate above 1e11 bytes/s or a time above 1e9 s (the bounds of /workload/dirty/rate and of durations)");
  } else {
    d.pages_per_s = trace.mean_pages_per_s();  // for reports; the trace alone decides the writes
    d.trace       = std::make_shared<const DirtyTrace>(std::move(trace));
  }
}

void read_dirtying(JsonFieldReader& r, DirtyingSpec& d, double page_size)
{
  const DirtyingPhase base{0, DirtyPattern::HotSet, 40e6 / page_size, 0.05, 0.9, 1.0};
  const DirtyingPhase p = read_dirty_stretch(r, "/workload/dirty", base, page_size, "40MBps");
  d.pattern       = p.pattern;
  d.pages_per_s   = p.pages_per_s;
  d.hot_fraction  = p.hot_fraction;
  d.hot_share     = p.hot_share;
  d.zipf_exponent = p.zipf_exponent;
}

void read_io(JsonFieldReader& r, Scenario& s)
{
  s.io_profile = r.choice("/workload/io/profile", "none", {"none", "webserver", "database"});
  const IoWorkloadSpec base = *io_profile(s.io_profile == "none" ? "webserver" : s.io_profile);
  IoWorkloadSpec& io        = s.io;
  io.enabled                = s.io_profile != "none";
  io.request_bytes          = r.quantity("/workload/io/request_size", Quantity::Bytes, base.request_bytes);
  if (io.request_bytes > 1073741824.0)
    r.fail("/workload/io/request_size", "must be at most 1GiB, got " + given(r, "/workload/io/request_size"));
  io.requests_per_s         = r.number("/workload/io/rate", base.requests_per_s, 0, 1e9);
  io.read_fraction          = r.fraction("/workload/io/read_fraction", base.read_fraction);
  io.data_set_bytes         = r.quantity("/workload/io/data_set", Quantity::Bytes, base.data_set_bytes);
  io.popularity = r.choice("/workload/io/popularity", base.popularity == Popularity::Zipf ? "zipf" : "uniform",
                           {"zipf", "uniform"}) == "zipf"
                      ? Popularity::Zipf
                      : Popularity::Uniform;
  io.zipf_exponent = r.number("/workload/io/zipf_exponent", base.zipf_exponent, 0.01, 10);
  io.step_s        = r.quantity("/workload/io/step", Quantity::Duration, base.step_s);
  io.writeback_Bps = r.quantity("/workload/io/writeback", Quantity::Rate, base.writeback_Bps, true);
  s.io_depth       = static_cast<double>(r.integer("/workload/io/depth", 16, 1, 65536));
  if (io.data_set_bytes / static_cast<double>(s.memory.page_size) >= 4294967295.0)
    r.fail("/workload/io/data_set", "must hold fewer than 2^32 blocks of /vm/page_size, got " + given(r, "/workload/io/data_set"));
}

// Host evacuation: each entry of /vms is the base scenario with its own "vm", "workload" and
// "migration" objects merged over the base's (JSON merge patch), validated as a scenario of its own.
void read_vms(JsonFieldReader& r, Scenario& s, const json& document)
{
  if (!r.has("/vms"))
    return;
  const bool in_datacentre = s.datacentre != nullptr;
  if (!in_datacentre) {  // a data centre runs /plan
    s.evacuation       = r.choice("/evacuation/mode", "sequential", {"sequential", "parallel", "batch"});
    s.evacuation_batch = static_cast<int>(r.integer("/evacuation/batch", 2, 1, 100000));
  }
  const json* list   = &document.at("vms");
  if (!list->is_array() || list->empty())
    r.fail("/vms", "expected a non-empty array of VMs, got " + describe_json_type(*list));
  if (list->size() > max_vms)
    r.fail("/vms", "at most " + std::to_string(max_vms) + " VMs, got " + std::to_string(list->size()));
  json base = document;
  for (const char* part : {"vms", "evacuation", "datacentre", "plan"})
    base.erase(part);
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string path = "/vms/" + std::to_string(i);
    const json& entry      = (*list)[i];
    if (!entry.is_object())
      r.fail(path, "expected an object (a VM: name, vm, workload, migration), got " + describe_json_type(entry));
    for (auto it = entry.begin(); it != entry.end(); ++it) {
      if ((it.key() == "host" || it.key() == "cpu") && !in_datacentre)
        r.fail(path + "/" + it.key(), "a VM's \"" + it.key() + "\" places it in a data centre: needs /datacentre");
      if (it.key() != "name" && it.key() != "vm" && it.key() != "workload" && it.key() != "migration" &&
          it.key() != "host" && it.key() != "cpu")
        r.fail(path + "/" + it.key(), "unknown key \"" + it.key() + "\"; a VM has: name, vm, workload, migration" +
                                          std::string(in_datacentre ? ", host, cpu" : ""));
    }
    // When migrations start is the plan's or the evacuation's, never a VM's own.
    if (entry.contains("migration") && entry["migration"].is_object() && entry["migration"].contains("start"))
      r.fail(path + "/migration/start", in_datacentre ? "a VM's migration starts at its /plan/migrations/N/start"
                                                      : "all VMs of an evacuation start at /migration/start; "
                                                        "/evacuation/mode orders them");
    json vm = base;
    for (const char* part : {"vm", "workload", "migration"})
      if (entry.contains(part))
        vm[part].merge_patch(entry[part]);
    if (entry.contains("migration") && entry["migration"].contains("policy"))
      for (const char* key : {"params", "label"})  // another policy: its own parameters and label
        if (!entry["migration"].contains(key))
          vm["migration"].erase(key);
    try {
      s.vms.push_back(parse_scenario(vm, r.origin()));
    } catch (const ScenarioError& e) {
      r.fail(path, "in this VM, " + e.path() + ": " + e.message());
    }
    if (entry.contains("name") && !entry["name"].is_string())
      r.fail(path + "/name", "expected a string, got " + describe_json_type(entry["name"]));
    s.vms.back().vm_name = entry.value("name", "vm" + std::to_string(i + 1));
    for (const auto& other : s.vms)
      if (&other != &s.vms.back() && other.vm_name == s.vms.back().vm_name)
        r.fail(path + "/name", "two VMs are named \"" + other.vm_name + "\"");
  }
  r.delegate("/vms");
  if (in_datacentre) {  // after delegate(): the defaults of /vms/N/cpu stay in the resolved scenario
    read_placement(r, s);
    s.plan = read_plan(r, s);
  }
}

void read_migration(JsonFieldReader& r, MigrationSpec& m)
{
  m.policy = r.text("/migration/policy", "precopy");
  if (r.has("/migration/label")) {  // a policy variant's name in the outputs (policy_variant.hpp)
    m.label = r.text("/migration/label", "");
    if (m.label.empty())
      r.fail("/migration/label", "must be a non-empty string (or absent: the policy name)");
  }
  const PolicyDeclaration* info = nullptr;
  try {
    info = &PolicyRegistry::instance().find(m.policy);
  } catch (const UnknownPolicy& e) {
    r.fail("/migration/policy", e.what());
  }
  m.params = read_declared_params(r, "/migration/params", info->params);
  auto& l              = m.limits;
  l.downtime_limit_s   = r.quantity("/migration/downtime_limit", Quantity::Duration, "300ms");
  l.max_rounds         = static_cast<int>(r.integer("/migration/max_rounds", 30, 1, 100000));
  l.max_bytes_factor   = r.number("/migration/max_bytes_factor", 3.0, 1.0, 1e6);
  l.bandwidth_cap_Bps  = r.quantity("/migration/bandwidth_cap", Quantity::Rate, 0, true);
  l.max_time_s         = r.quantity("/migration/max_time", Quantity::Duration, "1h");
  l.cancel_at_max_time = r.choice("/migration/at_max_time", "stop-and-copy", {"stop-and-copy", "cancel"}) == "cancel";
  m.start_s            = r.quantity("/migration/start", Quantity::Duration, 0, true);
  m.streams            = static_cast<int>(r.integer("/migration/streams", 4, 1, 256));
  m.chunk_bytes        = r.quantity("/migration/chunk", Quantity::Bytes, "64MiB");
  // Switch-over keys: defaults follow QEMU and the testbed (docs/scenario.md).
  m.cap_final_copy                  = r.boolean("/migration/cap_final_copy", false);
  m.stream_cpu_Bps                  = r.quantity("/migration/stream_cpu_rate", Quantity::Rate, 0, true);
  m.switchover.device_state_bytes   = r.quantity("/migration/switchover/device_state", Quantity::Bytes, 0, true);
  m.switchover.resume_s             = r.quantity("/migration/switchover/resume_time", Quantity::Duration, "10ms", true);
}

/// A parameter the policy does not have, named with the policy and the parameters it does have
/// (reject_unknown_keys() alone would say only "unknown key").
void reject_unknown_params(const JsonFieldReader& r, const json& document, const std::string& policy)
{
  const json::json_pointer at("/migration/params");
  if (!document.contains(at) || !document.at(at).is_object())
    return;
  std::vector<std::string> names;
  for (const ParamSpec& spec : PolicyRegistry::instance().find(policy).params)
    names.push_back(spec.name);
  std::string list;
  for (const auto& n : names)
    list += (list.empty() ? "" : ", ") + n;
  for (const auto& [key, value] : document.at(at).items())
    if (std::find(names.begin(), names.end(), key) == names.end()) {
      const std::string hint = closest_match(key, names);
      r.fail("/migration/params/" + key, "policy '" + policy + "' has no parameter \"" + key + "\"" +
                                             (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                                             (names.empty() ? "; it takes none" : "; its parameters are: " + list));
    }
}

/// What reads from the SAN needs a storage host (only a platform file can lack one): refused here, so
/// that `validate` and a sweep's plan refuse what `run` could not do. A SAN policy on a guest without
/// clean page cache reads nothing from it and runs as pre-copy.
void require_storage_host(const JsonFieldReader& r, const Scenario& s)
{
  if (!s.platform.storage_host.empty())
    return;
  const PolicyDeclaration& policy = PolicyRegistry::instance().find(s.migration.policy);
  if (policy.reads_san && policy.reads_san(s.migration.params) && s.memory.clean_cache_share > 0)
    r.fail("/platform/storage_host", "policy '" + s.migration.policy +
                                         "' reads from the SAN, but the platform file names no storage host");
  if (s.io.enabled)
    r.fail("/platform/storage_host", "the guest's IO workload (/workload/io) needs a storage host; name one, "
                                     "or set /workload/io/profile to none");
}

}  // namespace

json default_scenario_json()
{
  return json::parse(default_scenario_text);
}

Scenario parse_scenario(const json& document, const std::string& origin)
{
  JsonFieldReader r(document, origin);
  Scenario s;
  s.origin = origin;
  s.name   = read_name(r);
  s.seed   = static_cast<uint64_t>(r.integer("/seed", 1, 0, std::numeric_limits<long long>::max()));
  const std::string base_dir =
      origin == "built-in default" ? "." : std::filesystem::path(origin).parent_path().string();
  if (document.contains("datacentre")) {
    refuse_two_host_platform(r, document);
    s.datacentre = std::make_shared<const DatacentreSpec>(read_datacentre(r));
  } else if (document.contains("plan")) {
    r.fail("/plan", "a plan runs in a data centre: needs /datacentre (docs/datacentre.md)");
  } else if (document.contains("consolidation")) {
    r.fail("/consolidation", "a consolidation runs in a data centre: needs /datacentre (docs/consolidation.md)");
  }
  read_platform(r, s.platform, base_dir.empty() ? "." : base_dir);
  read_memory(r, s.memory);
  read_dirtying(r, s.dirtying, static_cast<double>(s.memory.page_size));
  read_dirtying_over_time(r, s.dirtying, s.memory, base_dir.empty() ? "." : base_dir);
  read_io(r, s);
  read_migration(r, s.migration);
  // A transfer carries whole pages; a sub-page chunk would only multiply the simulated transfers.
  if (s.migration.chunk_bytes < static_cast<double>(s.memory.page_size) || s.migration.chunk_bytes > max_chunk_bytes)
    r.fail("/migration/chunk", "must be between one page (/vm/page_size, " + std::to_string(s.memory.page_size) +
                                   " bytes) and 1PiB, got " + given(r, "/migration/chunk"));
  s.sample_interval_s = r.quantity("/output/sample_interval", Quantity::Duration, "100ms");
  s.observe_after_s   = r.quantity("/output/observe_after", Quantity::Duration, s.io.enabled ? "30s" : "0s", true);
  s.baseline_window_s = r.quantity("/output/baseline_window", Quantity::Duration, "5s");
  read_vms(r, s, document);
  if (document.contains("consolidation"))
    read_consolidation(r, s, base_dir.empty() ? "." : base_dir);
  reject_unknown_params(r, document, s.migration.policy);
  require_storage_host(r, s);
  r.reject_unknown_keys();
  s.resolved       = r.resolved();
  s.quantity_kinds = r.quantity_kinds();
  return s;
}

namespace {

/// Another policy brings its own parameters: the old policy's would be unknown keys.
void set_policy(json& document, const json& policy)
{
  json& migration = document["migration"];  // already validated: absent (null here) or an object
  if (migration.is_null())
    migration = json::object();
  if (migration.value("policy", json()) != policy) {
    migration.erase("params");
    migration.erase("label");
  }
  migration["policy"] = policy;
}

// "/a/b=value": value is parsed as JSON when it is valid JSON, else taken as a string ("4GiB"). The
// path must exist in the resolved scenario (defaults included); the value goes into the document as
// written, so that what depends on it (a profile's defaults, a policy's parameters) follows it.
void apply_override(json& document, const json& resolved, const std::string& assignment, const std::string& origin)
{
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || assignment.empty() || assignment[0] != '/')
    throw ScenarioError(origin, "--set " + assignment, "expected /json/pointer=value");
  const std::string path = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  json::json_pointer pointer;
  try {
    pointer = json::json_pointer(path);
  } catch (const json::exception&) {
    throw ScenarioError(origin, path, "--set: not a valid JSON pointer");
  }
  bool found = false;
  try {
    found = resolved.contains(pointer);
  } catch (const json::exception&) {  // an array index beyond 2^64, which nlohmann::json throws on
  }
  if (!found)
    throw ScenarioError(origin, path, "--set: no such setting in this scenario");
  try {
    (void)json(text).dump();  // JSON strings are UTF-8; a file's are checked by the parser, --set's here
  } catch (const json::type_error&) {
    throw ScenarioError(origin, path, "--set: the value is not valid UTF-8");
  }
  json value = json::parse(text, nullptr, false);
  if (value.is_discarded())
    value = text;
  if (path == "/migration/policy")
    set_policy(document, value);
  else
    document[pointer] = value;
}

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides, const std::string& policy)
{
  const std::string origin = path.empty() ? "built-in default" : path;
  json document            = path.empty() ? default_scenario_json() : read_json_file(path);
  // A policy change first (--set /migration/policy=, then --policy), so that a --set of a parameter
  // always applies to the policy that runs, whatever the order on the command line.
  std::vector<std::string> ordered = overrides;
  const auto policy_changes        = std::stable_partition(ordered.begin(), ordered.end(), [](const std::string& o) {
    return o.rfind("/migration/policy=", 0) == 0;
  });
  if (!policy.empty())
    ordered.insert(policy_changes, "/migration/policy=" + json(policy).dump());
  Scenario s = parse_scenario(document, origin);
  for (const auto& o : ordered) {
    apply_override(document, s.resolved, o, origin);
    s = parse_scenario(document, origin);
  }
  return s;
}

}  // namespace migsim
