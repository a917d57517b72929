#include "policy_registry.hpp"

#include "drop_cache_policy.hpp"
#include "precopy_policy.hpp"
#include "san_adaptive_policy.hpp"
#include "san_lazy_policy.hpp"
#include "san_restore_policy.hpp"
#include "stop_and_copy_policy.hpp"

#include <algorithm>

namespace migsim {

PolicyRegistry& PolicyRegistry::instance()
{
  static PolicyRegistry registry;
  return registry;
}

void PolicyRegistry::add(PolicyInfo info)
{
  auto same = [&](const PolicyInfo& p) { return p.name == info.name; };
  if (std::find_if(policies_.begin(), policies_.end(), same) != policies_.end())
    throw std::logic_error("policy '" + info.name + "' registered twice");
  policies_.push_back(std::move(info));
}

std::string PolicyRegistry::names() const
{
  std::string out;
  for (const auto& p : policies_)
    out += (out.empty() ? "" : ", ") + p.name;
  return out;
}

const PolicyInfo& PolicyRegistry::find(const std::string& name) const
{
  for (const auto& p : policies_)
    if (p.name == name)
      return p;
  throw UnknownPolicy("unknown policy '" + name + "'; valid policies are: " + names());
}

void register_builtin_policies()
{
  auto& r = PolicyRegistry::instance();
  if (!r.all().empty())
    return;
  r.add({"precopy", "iterative pre-copy (QEMU/Xen); page cache sent like any memory", {},
         [](const PolicyParams&) { return std::make_unique<PrecopyPolicy>(); }});
  // Mapping cost of the SAN policies: seconds per GiB of clean cache mapped to disk blocks.
  const ParamSpec map_time{"map_time_per_GiB", Quantity::Duration, 0.2, 0, 3600,
                           "time to map 1 GiB of clean page cache to its disk blocks (guest keeps running)"};
  auto san = [](auto make) {
    return [make](const PolicyParams& p) -> std::unique_ptr<MigrationPolicy> { return make(p.at("map_time_per_GiB")); };
  };
  r.add({"drop-cache", "discard clean page cache at start, pre-copy the rest; VM arrives with a cold cache", {},
         [](const PolicyParams&) { return std::make_unique<DropCachePolicy>(); }});
  r.add({"san-restore", "destination reads clean cache from the SAN in parallel with pre-copy (Akiyama 2014)",
         {map_time}, san([](double m) { return std::make_unique<SanRestorePolicy>(m); })});
  r.add({"san-adaptive", "splits clean cache between LAN and SAN so both finish together (Akiyama 2016)",
         {map_time}, san([](double m) { return std::make_unique<SanAdaptivePolicy>(m); })});
  r.add({"san-lazy", "san-restore that resumes before the restore ends; missing pages fetched on demand",
         {map_time}, san([](double m) { return std::make_unique<SanLazyPolicy>(m); })});
  r.add({"stop-and-copy", "pause the guest, send all memory, resume (downtime = total time)", {},
         [](const PolicyParams&) { return std::make_unique<StopAndCopyPolicy>(); }});
}

}  // namespace migsim
