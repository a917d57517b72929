#include "policy_registry.hpp"

#include "precopy_policy.hpp"
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
  r.add({"stop-and-copy", "pause the guest, send all memory, resume (downtime = total time)", {},
         [](const PolicyParams&) { return std::make_unique<StopAndCopyPolicy>(); }});
}

}  // namespace migsim
