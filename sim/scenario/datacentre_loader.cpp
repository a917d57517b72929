#include "sim/scenario/datacentre_loader.hpp"

#include "models/consolidation/benchmark_machines.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <string>

namespace migsim {

using nlohmann::json;

namespace {

// The platform is built with full routing in each rack and between racks (datacentre_platform.cpp):
// routes grow as hosts per rack squared and racks squared, so both are bounded.
constexpr long long max_racks          = 1024;
constexpr long long max_hosts_per_rack = 512;
constexpr size_t max_hosts             = 100000;

std::string index_path(const std::string& at, size_t i)
{
  return at + "/" + std::to_string(i);
}

/// The study's servers (models/consolidation/benchmark_machines.hpp) by the name a scenario gives them.
const ServerModel* server_model(const std::string& name)
{
  static const std::vector<std::pair<std::string, ServerModel>> models = {{"hp-ml110-g4", hp_proliant_ml110_g4()},
                                                                          {"hp-ml110-g5", hp_proliant_ml110_g5()}};
  for (const auto& [key, model] : models)
    if (key == name)
      return &model;
  return nullptr;
}

/// A host type; a `model` gives the defaults of its cores, MIPS, memory, NIC and power curve.
HostType read_host_type(JsonFieldReader& r, const std::string& at)
{
  const ServerModel* model = nullptr;
  if (r.has(at + "/model")) {
    model = server_model(r.choice(at + "/model", "", {"hp-ml110-g4", "hp-ml110-g5"}));
    for (const char* key : {"/idle_power", "/max_power", "/power_curve"})
      if (r.has(at + key))
        r.fail(at + key, "the model's SPECpower curve gives its power; leave out \"model\" to give your own");
  }
  HostType h;
  h.cores         = static_cast<double>(r.integer(at + "/cores", model ? model->cores : 16, 1, 4096));
  h.core_mips     = r.number(at + "/mips", model ? model->core_mips : 1000, 1, 1e9);
  h.memory_bytes  = model ? r.quantity(at + "/memory", Quantity::Bytes, model->memory_bytes)
                          : r.quantity(at + "/memory", Quantity::Bytes, "256GiB");
  h.nic_Bps       = model ? r.quantity(at + "/nic", Quantity::Rate, model->bandwidth_Bps)
                          : r.quantity(at + "/nic", Quantity::Rate, "25Gbps");
  h.nic_latency_s = r.quantity(at + "/nic_latency", Quantity::Duration, "5us", true);
  h.san_Bps       = r.quantity(at + "/san", Quantity::Rate, "16Gbps");
  h.off_W         = r.number(at + "/off_power", 0, 0, 1e6);
  if (model) {
    h.power           = model->power;
    h.has_power_curve = true;
  } else if (r.has(at + "/power_curve")) {
    const std::string curve_at = at + "/power_curve";
    if (r.array(curve_at) != PowerCurve::points)
      r.fail(curve_at, "expected 11 powers in watts: at 0 %, 10 %, ..., 100 % utilisation");
    std::array<double, PowerCurve::points> watts{};
    for (size_t i = 0; i < watts.size(); ++i)
      watts[i] = r.number(index_path(curve_at, i), 0, 0, 1e6);
    for (size_t i = 1; i < watts.size(); ++i)
      if (watts[i] < watts[i - 1])
        r.fail(index_path(curve_at, i), "a power curve never falls as utilisation rises");
    for (const char* key : {"/idle_power", "/max_power"})
      if (r.has(at + key))
        r.fail(at + key, "the power curve gives it; give " + curve_at + " or idle_power and max_power");
    h.power           = PowerCurve(watts);
    h.has_power_curve = true;
  }
  if (h.has_power_curve) {
    h.idle_W = h.power.idle_watts();
    h.max_W  = h.power.max_watts();
  } else {
    h.idle_W = r.number(at + "/idle_power", 100, 0, 1e6);
    h.max_W  = r.number(at + "/max_power", 200, 0, 1e6);
    if (h.max_W < h.idle_W)
      r.fail(at + "/max_power", "must be at least " + at + "/idle_power");
  }
  if (h.off_W > h.idle_W)
    r.fail(at + "/off_power", "must be at most the idle power, " + std::to_string(h.idle_W) + " W");
  return h;
}

}  // namespace

void refuse_two_host_platform(const JsonFieldReader& r, const json& document)
{
  for (const char* key : {"/platform/file", "/platform/lan", "/platform/san", "/platform/storage/read_bandwidth",
                          "/platform/source_host", "/platform/destination_host", "/platform/storage_host",
                          "/platform/energy", "/evacuation"})
    if (document.contains(json::json_pointer(key)))
      r.fail(key, "not used with /datacentre, which has its own hosts, links, storage arrays and power "
                  "(docs/datacentre.md); a data centre runs /plan, not /evacuation");
  if (document.contains("consolidation")) {
    for (const char* key : {"/vms", "/plan", "/vm/memory"})
      if (document.contains(json::json_pointer(key)))
        r.fail(key, "not used with /consolidation: its VMs come from the traces, their memory from "
                    "/consolidation/vm_types, their migrations from the policy (docs/consolidation.md)");
  } else if (!document.contains("vms")) {
    r.fail("/datacentre", "a data centre needs its VMs: /vms, each with its \"host\", or a /consolidation");
  }
}

DatacentreSpec read_datacentre(JsonFieldReader& r)
{
  DatacentreSpec d;
  const size_t groups = r.array("/datacentre/racks");
  if (groups == 0)
    r.fail("/datacentre/racks", "expected a non-empty list of racks: {\"count\", \"hosts\", \"host\", \"uplink\"}");
  double uplinks_Bps = 0;
  for (size_t g = 0; g < groups; ++g) {
    const std::string at = index_path("/datacentre/racks", g);
    RackGroup group;
    group.count            = static_cast<int>(r.integer(at + "/count", 1, 1, max_racks));
    group.hosts            = static_cast<int>(r.integer(at + "/hosts", 2, 1, max_hosts_per_rack));
    group.host             = read_host_type(r, at + "/host");
    group.uplink_Bps       = r.quantity(at + "/uplink", Quantity::Rate, "40Gbps");
    group.uplink_latency_s = r.quantity(at + "/uplink_latency", Quantity::Duration, "5us", true);
    uplinks_Bps += group.count * group.uplink_Bps;
    d.groups.push_back(group);
    if (static_cast<long long>(d.rack_group.size()) + group.count > max_racks)
      r.fail(at + "/count", "at most " + std::to_string(max_racks) + " racks in all");
    for (int k = 0; k < group.count; ++k)
      d.rack_group.push_back(static_cast<int>(g));
  }
  for (size_t rack = 0; rack < d.rack_group.size(); ++rack) {
    const RackGroup& group = d.groups[static_cast<size_t>(d.rack_group[rack])];
    for (int h = 0; h < group.hosts; ++h) {
      const std::string name = "rack" + std::to_string(rack) + "-host" + std::to_string(h);
      d.host_index[name]     = d.hosts.size();
      d.hosts.push_back({name, static_cast<int>(rack), &group.host});
    }
    if (d.hosts.size() > max_hosts)
      r.fail("/datacentre/racks", "at most " + std::to_string(max_hosts) + " hosts in all");
  }

  if (r.has("/datacentre/spine/bandwidth") && r.has("/datacentre/spine/oversubscription"))
    r.fail("/datacentre/spine/oversubscription", "give the spine's bandwidth or its oversubscription, not both");
  const double oversubscription = r.number("/datacentre/spine/oversubscription", 1, 1, 1e6);
  d.spine_Bps = r.has("/datacentre/spine/bandwidth") ? r.quantity("/datacentre/spine/bandwidth", Quantity::Rate, 0)
                                                      : uplinks_Bps / oversubscription;
  d.spine_latency_s = r.quantity("/datacentre/spine/latency", Quantity::Duration, "5us", true);

  d.storage_shares_network =
      r.choice("/datacentre/storage_network", "separate", {"separate", "shared"}) == "shared";
  const size_t arrays = r.array("/datacentre/storage");
  d.rack_array.assign(d.rack_count(), -1);
  if (arrays == 0) {  // one array for every rack
    d.arrays.push_back({"storage", {}, r.quantity("/datacentre/storage_bandwidth", Quantity::Rate, "800MBps"), 50e-6});
    for (size_t rack = 0; rack < d.rack_count(); ++rack) {
      d.arrays[0].racks.push_back(static_cast<int>(rack));
      d.rack_array[rack] = 0;
    }
    return d;
  }
  if (r.has("/datacentre/storage_bandwidth"))
    r.fail("/datacentre/storage_bandwidth", "only for the default array; with /datacentre/storage, each array "
                                            "has its own \"bandwidth\"");
  for (size_t a = 0; a < arrays; ++a) {
    const std::string at = index_path("/datacentre/storage", a);
    StorageArraySpec array;
    array.name          = r.text(at + "/name", "storage" + std::to_string(a));
    array.bandwidth_Bps = r.quantity(at + "/bandwidth", Quantity::Rate, "800MBps");
    array.latency_s     = r.quantity(at + "/latency", Quantity::Duration, "50us", true);
    if (array.name.empty() || d.host_index.count(array.name))
      r.fail(at + "/name", "must be a non-empty name that no host has");
    for (const auto& other : d.arrays)
      if (other.name == array.name)
        r.fail(at + "/name", "two storage arrays are named \"" + array.name + "\"");
    const size_t racks = r.array(at + "/racks");
    if (racks == 0)
      r.fail(at + "/racks", "expected a non-empty list of the rack numbers this array serves");
    for (size_t k = 0; k < racks; ++k) {
      const std::string rack_at = index_path(at + "/racks", k);
      const auto rack = static_cast<size_t>(r.integer(rack_at, 0, 0, static_cast<long long>(d.rack_count()) - 1));
      if (d.rack_array[rack] == static_cast<int>(a))  // this array is not in d.arrays yet
        r.fail(rack_at, "rack " + std::to_string(rack) + " is listed twice");
      if (d.rack_array[rack] >= 0)
        r.fail(rack_at, "rack " + std::to_string(rack) + " is already served by storage array \"" +
                            d.arrays[static_cast<size_t>(d.rack_array[rack])].name + "\": one array per rack");
      d.rack_array[rack] = static_cast<int>(a);
      array.racks.push_back(static_cast<int>(rack));
    }
    d.arrays.push_back(array);
  }
  for (size_t rack = 0; rack < d.rack_count(); ++rack)
    if (d.rack_array[rack] < 0)
      r.fail("/datacentre/storage", "rack " + std::to_string(rack) + " is served by no storage array (its VMs' disks)");
  return d;
}

void read_placement(JsonFieldReader& r, Scenario& s)
{
  const DatacentreSpec& d = *s.datacentre;
  std::vector<double> used(d.hosts.size(), 0);
  r.array("/vms");  // read entry by entry
  for (size_t i = 0; i < s.vms.size(); ++i) {
    const std::string at = index_path("/vms", i);
    if (!r.has(at + "/host"))
      r.fail(at, "in a data centre, a VM needs its \"host\" (e.g. \"rack0-host0\")");
    const std::string host = r.text(at + "/host", "");
    const auto found       = d.host_index.find(host);
    if (found == d.host_index.end())
      r.fail(at + "/host", "no host \"" + host + "\" in /datacentre (hosts are named rack<R>-host<H>, from 0)");
    Scenario& vm  = s.vms[i];
    vm.host       = found->second;
    vm.cpu_cores  = r.number(at + "/cpu", 1, 0, d.hosts[vm.host].type->cores);
    used[vm.host] += static_cast<double>(vm.memory.page_count * vm.memory.page_size);
    if (used[vm.host] > d.hosts[vm.host].type->memory_bytes)
      r.fail(at + "/host", "host \"" + host + "\" has no room for this VM: its VMs need more than its memory (" +
                               std::to_string(d.hosts[vm.host].type->memory_bytes) + " bytes)");
  }
}

PlanSpec read_plan(JsonFieldReader& r, const Scenario& s)
{
  const DatacentreSpec& d = *s.datacentre;
  PlanSpec plan;
  auto limit = [&](const char* key) {
    const long long n = r.integer(std::string("/plan/limits/") + key, 0, 0, PlanSpec::unlimited);
    return n == 0 ? PlanSpec::unlimited : static_cast<int>(n);
  };
  plan.max_running         = limit("running");
  plan.max_per_source      = limit("per_source");
  plan.max_per_destination = limit("per_destination");
  plan.max_per_rack        = limit("per_rack");
  plan.switch_off_empty    = r.boolean("/plan/switch_off_empty", false);

  std::map<std::string, size_t> vm_index;
  for (size_t i = 0; i < s.vms.size(); ++i)
    vm_index[s.vms[i].vm_name] = i;
  if (!r.has("/plan/migrations"))
    r.fail("/plan", "a data centre runs a plan: /plan/migrations, a list of {\"vm\", \"to\"} (docs/datacentre.md)");
  const size_t count = r.array("/plan/migrations");
  if (count == 0)
    r.fail("/plan/migrations", "expected a non-empty list of migrations {\"vm\", \"to\"}");
  std::map<size_t, size_t> migration_of_vm;  // VM -> its migration
  std::vector<double> final_use(d.hosts.size(), 0);
  std::vector<size_t> place(s.vms.size());
  for (size_t i = 0; i < s.vms.size(); ++i)
    place[i] = s.vms[i].host;
  for (size_t m = 0; m < count; ++m) {
    const std::string at = index_path("/plan/migrations", m);
    for (const char* key : {"/vm", "/to"})
      if (!r.has(at + key))
        r.fail(at, std::string("a migration needs \"vm\" (a VM's name) and \"to\" (a host); missing \"") + (key + 1) + "\"");
    PlannedMigration p;
    const std::string vm = r.text(at + "/vm", "");
    const auto v         = vm_index.find(vm);
    if (v == vm_index.end())
      r.fail(at + "/vm", "no VM named \"" + vm + "\" in /vms");
    p.vm = v->second;
    if (migration_of_vm.count(p.vm))
      r.fail(at + "/vm", "VM \"" + vm + "\" already migrates in /plan/migrations/" +
                             std::to_string(migration_of_vm[p.vm]) + "; a plan moves a VM once");
    migration_of_vm[p.vm] = m;
    const std::string to  = r.text(at + "/to", "");
    const auto h          = d.host_index.find(to);
    if (h == d.host_index.end())
      r.fail(at + "/to", "no host \"" + to + "\" in /datacentre (hosts are named rack<R>-host<H>, from 0)");
    p.destination = h->second;
    if (p.destination == s.vms[p.vm].host)
      r.fail(at + "/to", "VM \"" + vm + "\" is already on host \"" + to + "\"");
    place[p.vm] = p.destination;
    p.start_s   = r.quantity(at + "/start", Quantity::Duration, 0, true);
    plan.migrations.push_back(p);
  }
  // `after` names VMs whose migrations must end first; read once every migration is known.
  for (size_t m = 0; m < count; ++m) {
    const std::string at = index_path("/plan/migrations", m) + "/after";
    const size_t n       = r.array(at);
    for (size_t k = 0; k < n; ++k) {
      const std::string name = r.text(index_path(at, k), "");
      const auto v           = vm_index.find(name);
      if (v == vm_index.end() || !migration_of_vm.count(v->second))
        r.fail(index_path(at, k), "no migration of a VM named \"" + name + "\" in /plan/migrations");
      plan.migrations[m].after.push_back(migration_of_vm[v->second]);
    }
  }
  // A cycle in `after` would wait for ever: refused, naming it.
  std::vector<int> state(count, 0);  // 0 unvisited, 1 on the current path, 2 done
  std::vector<size_t> path;
  std::function<void(size_t)> visit = [&](size_t m) {
    state[m] = 1;
    path.push_back(m);
    for (size_t before : plan.migrations[m].after) {
      if (state[before] == 1) {
        std::string cycle;
        for (auto it = std::find(path.begin(), path.end(), before); it != path.end(); ++it)
          cycle += s.vms[plan.migrations[*it].vm].vm_name + " after ";
        r.fail(index_path("/plan/migrations", m) + "/after",
               "a cycle: " + cycle + s.vms[plan.migrations[before].vm].vm_name + "; it would never start");
      }
      if (state[before] == 0)
        visit(before);
    }
    path.pop_back();
    state[m] = 2;
  };
  for (size_t m = 0; m < count; ++m)
    if (state[m] == 0)
      visit(m);
  // The placement after the plan must fit too (a migration waits at run time for room to free up).
  for (size_t i = 0; i < s.vms.size(); ++i)
    final_use[place[i]] += static_cast<double>(s.vms[i].memory.page_count * s.vms[i].memory.page_size);
  for (size_t m = count; m-- > 0;) {  // named at the last migration to the host: the one that overfills it
    const size_t host = plan.migrations[m].destination;
    if (final_use[host] > d.hosts[host].type->memory_bytes)
      r.fail(index_path("/plan/migrations", m) + "/to",
             "host \"" + d.hosts[host].name + "\" has no room: the VMs it holds after the plan need more than its memory (" +
                 std::to_string(d.hosts[host].type->memory_bytes) + " bytes)");
  }
  return plan;
}

}  // namespace migsim
