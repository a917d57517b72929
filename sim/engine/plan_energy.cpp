#include "sim/engine/plan_energy.hpp"

#include <algorithm>

namespace migsim {

PlanEnergy plan_energy(const DatacentreSpec& spec, const std::vector<size_t>& host, const std::vector<double>& cpu_cores,
                       std::vector<HostMove> moves, double end_s, bool switch_off_empty)
{
  const size_t n = spec.hosts.size();
  std::vector<double> demand(n, 0);
  std::vector<int> vms(n, 0), final_vms(n, 0);
  std::vector<double> off_at(n, end_s + 1);  // after the end: never off within the plan
  for (size_t v = 0; v < host.size(); ++v) {
    demand[host[v]] += cpu_cores[v];
    ++vms[host[v]];
  }
  final_vms = vms;
  std::vector<double> last_departure(n, 0);
  for (const HostMove& m : moves) {
    --final_vms[m.source];
    ++final_vms[m.destination];
    last_departure[m.source] = std::max(last_departure[m.source], m.at_s);
  }
  PlanEnergy result;
  for (size_t h = 0; h < n; ++h) {
    if (switch_off_empty && final_vms[h] == 0)
      off_at[h] = last_departure[h];
    else
      ++result.hosts_on_end;
  }
  auto power = [&](size_t h, double t) {
    const HostType& type = *spec.hosts[h].type;
    if (t >= off_at[h])
      return type.off_W;
    return type.watts(demand[h] / type.cores);
  };
  // Each host's power is constant between the times its demand changes or it switches off.
  std::stable_sort(moves.begin(), moves.end(), [](const HostMove& a, const HostMove& b) { return a.at_s < b.at_s; });
  std::vector<double> since(n, 0);
  auto account = [&](size_t h, double t) {  // host h's energy from since[h] to t
    if (t <= since[h])
      return;
    const double off = std::clamp(off_at[h], since[h], t);
    result.joules += power(h, since[h]) * (off - since[h]) + spec.hosts[h].type->off_W * (t - off);
    since[h] = t;
  };
  for (const HostMove& m : moves) {
    const double t = std::min(m.at_s, end_s);
    for (size_t h : {m.source, m.destination})
      account(h, t);
    demand[m.source] -= cpu_cores[m.vm];
    demand[m.destination] += cpu_cores[m.vm];
  }
  for (size_t h = 0; h < n; ++h)
    account(h, end_s);
  return result;
}

}  // namespace migsim
