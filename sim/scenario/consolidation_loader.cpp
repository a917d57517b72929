#include "sim/scenario/consolidation_loader.hpp"

#include "models/consolidation/benchmark_machines.hpp"
#include "models/consolidation/consolidation_registry.hpp"
#include "models/consolidation/pabfd_placement.hpp"
#include "models/consolidation/thr_mmt_policy.hpp"
#include "sim/scenario/bitbrains_trace.hpp"
#include "sim/scenario/planetlab_trace.hpp"
#include "sim/scenario/trace_folder.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace migsim {
namespace {

constexpr long long max_consolidation_vms = 1000000;
constexpr long long max_periods           = 1000000;
/// Demand values kept per VM when the policy declares no `history` of its own.
constexpr size_t default_history = 30;

std::vector<CpuTrace> read_traces(JsonFieldReader& r, const std::string& base_dir)
{
  if (!r.has("/consolidation/traces"))
    r.fail("/consolidation/traces", "expected the folder of the VMs' CPU traces, one file per VM (e.g. "
                                    "\"../traces/planetlab/20110303\")");
  const std::string folder = r.text("/consolidation/traces", "");
  const std::string format = r.choice("/consolidation/trace_format", "planetlab", {"planetlab", "bitbrains"});
  const std::string path =
      std::filesystem::path(folder).is_absolute() ? folder : (std::filesystem::path(base_dir) / folder).string();
  if (format == "planetlab")
    return read_planetlab_folder(path);
  std::vector<CpuTrace> traces;
  for (const std::string& file : trace_folder_entries(path, max_trace_folder_files, "Bitbrains trace"))
    traces.push_back(read_bitbrains_trace(file));
  return traces;
}

/// The utilisation a trace records at time t (its last sample at or before t), its first after it ends.
float utilisation_at(const CpuTrace& trace, double t)
{
  const auto after = std::upper_bound(trace.time_s.begin(), trace.time_s.end(), t);
  const size_t i   = after == trace.time_s.begin() ? 0 : static_cast<size_t>(after - trace.time_s.begin()) - 1;
  return static_cast<float>(trace.utilisation[i]);
}

/// How long a trace lasts: its last sample's time plus one step.
double trace_length_s(const CpuTrace& trace)
{
  const size_t n    = trace.time_s.size();
  const double step = n > 1 ? trace.time_s[1] - trace.time_s[0] : planetlab_step_s;
  return trace.time_s.back() - trace.time_s.front() + step;
}

std::vector<ConsolidationVmType> read_vm_types(JsonFieldReader& r)
{
  std::vector<ConsolidationVmType> types;
  const size_t n = r.array("/consolidation/vm_types");
  if (n == 0) {  // the study's four
    for (const VmType& t : benchmark_vm_types())
      types.push_back({t.name, t.mips, t.memory_bytes});
    return types;
  }
  for (size_t i = 0; i < n; ++i) {
    const std::string at = "/consolidation/vm_types/" + std::to_string(i);
    ConsolidationVmType t;
    t.name         = r.text(at + "/name", "type" + std::to_string(i));
    t.mips         = r.number(at + "/mips", 1000, 1, 1e9);
    t.memory_bytes = r.quantity(at + "/memory", Quantity::Bytes, "1GiB");
    types.push_back(t);
  }
  return types;
}

/// CloudSim's start: every VM placed at its full MIPS by power-aware best-fit decreasing, hosts all off.
std::vector<int> place_initially(const JsonFieldReader& r, const DatacentreSpec& d, const ConsolidationSpec& c)
{
  const std::vector<HostState> hosts = consolidation_hosts(d, c.check_memory);
  std::vector<VmState> vms(c.vm_type.size());
  std::vector<int> all(vms.size());
  for (size_t v = 0; v < vms.size(); ++v) {
    const ConsolidationVmType& t = c.types[static_cast<size_t>(c.vm_type[v])];
    vms[v].mips                  = t.mips;
    vms[v].memory_bytes          = t.memory_bytes;
    vms[v].demand_mips           = {t.mips};
    all[v]                       = static_cast<int>(v);
  }
  const DataCentreSnapshot snapshot{0, hosts, vms};
  PlacementState state(snapshot);
  const std::vector<bool> none(hosts.size(), false);
  const StaticThresholdDetector never(1.0);
  const auto moves = place_power_aware_best_fit_decreasing(state, all, PlacementRules{none, never, true}, false);
  if (moves.size() != vms.size())
    r.fail("/consolidation/vms", std::to_string(vms.size() - moves.size()) + " of the " + std::to_string(vms.size()) +
                                     " VMs do not fit on the data centre's hosts at their full MIPS and memory");
  std::vector<int> host(vms.size(), -1);
  for (const VmMove& m : moves)
    host[static_cast<size_t>(m.vm)] = m.destination;
  return host;
}

}  // namespace

std::vector<HostState> consolidation_hosts(const DatacentreSpec& spec, bool check_memory)
{
  std::vector<HostState> hosts(spec.hosts.size());
  for (size_t h = 0; h < hosts.size(); ++h) {
    const HostType& t      = *spec.hosts[h].type;
    hosts[h].cores         = static_cast<int>(t.cores);
    hosts[h].core_mips     = t.core_mips;
    hosts[h].memory_bytes  = check_memory ? t.memory_bytes : HUGE_VAL;
    hosts[h].migration_Bps = t.nic_Bps;  // what MMT ranks VMs by: a lone migration over the host's NIC
    hosts[h].power         = t.power;
    hosts[h].powered_on    = false;
  }
  return hosts;
}

void read_consolidation(JsonFieldReader& r, Scenario& s, const std::string& base_dir)
{
  // The VMs' migrations take this scenario's VM, with each type's memory: what depends on one VM's
  // size or runs beside its migration is not carried to thousands of them.
  if (s.io.enabled)
    r.fail("/workload/io/profile", "a consolidation's VMs have no guest IO model (set it to \"none\")");
  if (r.has("/workload/dirty/trace"))
    r.fail("/workload/dirty/trace", "a page trace is one VM's; a consolidation's VMs take a dirty rate");
  auto c = std::make_shared<ConsolidationSpec>();
  c->policy = r.text("/consolidation/policy", "thr-mmt");
  const ConsolidationPolicyDeclaration* policy = ConsolidationRegistry::instance().find_if_any(c->policy);
  if (!policy)
    r.fail("/consolidation/policy", "unknown consolidation policy '" + c->policy + "'; valid ones are: " +
                                        ConsolidationRegistry::instance().names());
  c->params      = read_declared_params(r, "/consolidation/params", policy->params);
  c->period_s    = param_value(c->params, policy->params, "period");
  c->history     = std::max(default_history, static_cast<size_t>(c->params.count("history") ? c->params.at("history") : 0));
  c->degradation  = r.fraction("/consolidation/degradation", 0.1);
  c->check_memory = r.boolean("/consolidation/check_memory", true);
  c->types       = read_vm_types(r);

  const std::vector<CpuTrace> traces = read_traces(r, base_dir);
  double shortest = HUGE_VAL;
  for (const CpuTrace& t : traces)
    shortest = std::min(shortest, trace_length_s(t));
  const auto vm_count = static_cast<size_t>(
      r.integer("/consolidation/vms", static_cast<long long>(traces.size()), 1, max_consolidation_vms));
  c->periods = static_cast<size_t>(r.integer(
      "/consolidation/periods", std::max(1LL, static_cast<long long>(std::floor(shortest / c->period_s))), 1, max_periods));
  if (static_cast<double>(vm_count) * static_cast<double>(c->periods) > 2e9)
    r.fail("/consolidation/periods", "VMs x periods must stay below 2e9 (the traces are held in memory)");

  const size_t per_type = (vm_count + c->types.size() - 1) / c->types.size();  // CloudSim's order
  for (size_t v = 0; v < vm_count; ++v) {
    const CpuTrace& trace = traces[v % traces.size()];
    const size_t copy     = v / traces.size();
    c->vm_names.push_back(copy == 0 ? trace.name : trace.name + "#" + std::to_string(copy));
    c->vm_type.push_back(static_cast<int>(v / per_type));
    std::vector<float> u(c->periods);
    for (size_t k = 0; k < c->periods; ++k)
      u[k] = utilisation_at(trace, trace.time_s.front() + std::fmod(static_cast<double>(k) * c->period_s, shortest));
    c->utilisation.push_back(std::move(u));
  }
  c->initial_host = place_initially(r, *s.datacentre, *c);

  for (const ConsolidationVmType& t : c->types) {  // each type's migration template: this scenario's VM
    Scenario vm = s;
    vm.vm_name  = t.name;
    vm.memory.page_count =
        static_cast<uint64_t>(std::ceil(t.memory_bytes / static_cast<double>(s.memory.page_size)));
    s.vms.push_back(std::move(vm));
  }
  s.consolidation = std::move(c);
}

}  // namespace migsim
