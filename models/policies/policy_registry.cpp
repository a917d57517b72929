#include "models/policies/policy_registry.hpp"

#include "models/policies/drop_cache_policy.hpp"
#include "models/policies/hybrid_policy.hpp"
#include "models/policies/postcopy_policy.hpp"
#include "models/policies/precopy_policy.hpp"
#include "models/policies/qemu_options_policy.hpp"
#include "models/policies/san_adaptive_policy.hpp"
#include "models/policies/san_lazy_policy.hpp"
#include "models/policies/san_restore_policy.hpp"
#include "models/policies/stop_and_copy_policy.hpp"

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
  // Xen 2.0's dynamic rate limiting and "peek" (Clark et al. 2005), all off by default; see precopy_policy.hpp.
  std::vector<ParamSpec> precopy_specs = {
      {"rate_first", Quantity::Rate, 0, 0, 1e15, "dynamic rate limit: cap of round 0 (0: no dynamic rate limit)"},
      {"rate_increment", Quantity::Rate, 0, 0, 1e15, "dynamic rate limit: added to the last round's dirtying rate"},
      {"rate_max", Quantity::Rate, 0, 0, 1e15, "dynamic rate limit: highest cap (0: none)"},
      {"skip_rewritten", std::nullopt, 0, 0, 1, "1: skip pages written again since the round began (Xen's peek)"}};
  for (ParamSpec& spec : qemu_option_specs())
    precopy_specs.push_back(std::move(spec));
  r.add({"precopy", "iterative pre-copy (QEMU/Xen); page cache sent like any memory", precopy_specs,
         [](const PolicyParams& p) {
           return with_qemu_options(std::make_unique<PrecopyPolicy>(PrecopyOptions::from(p)), p);
         }});
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
  r.add({"postcopy", "switch over at once; pages fetched on demand over the LAN while a push sends the rest",
         {map_time, {"san_cache", std::nullopt, 0, 0, 1, "1: also restore the clean page cache from the SAN"}},
         [](const PolicyParams& p) {
           return std::make_unique<PostcopyPolicy>(p.at("map_time_per_GiB"), p.at("san_cache") >= 0.5);
         }});
  r.add({"hybrid", "pre-copy rounds, then post-copy (QEMU postcopy-after-precopy)",
         {{"precopy_rounds", std::nullopt, 3, 1, 1000, "live pre-copy rounds before switching to post-copy"}},
         [](const PolicyParams& p) { return std::make_unique<HybridPolicy>(static_cast<int>(p.at("precopy_rounds"))); }});
  r.add({"stop-and-copy", "pause the guest, send all memory, resume (downtime = total time)", {},
         [](const PolicyParams&) { return std::make_unique<StopAndCopyPolicy>(); }});
}

}  // namespace migsim
