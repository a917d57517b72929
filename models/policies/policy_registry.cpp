#include "models/policies/policy_registry.hpp"

#include "models/policies/drop_cache_policy.hpp"
#include "models/policies/hybrid_policy.hpp"
#include "models/policies/postcopy_policy.hpp"
#include "models/policies/precopy_policy.hpp"
#include "models/policies/san_adaptive_policy.hpp"
#include "models/policies/san_lazy_policy.hpp"
#include "models/policies/san_restore_policy.hpp"
#include "models/policies/stop_and_copy_policy.hpp"

namespace migsim {

// Every policy shipped with migsim, in the order `migsim policies` and sweeps over "all" use.
PolicyRegistry::PolicyRegistry()
    : policies_{
          precopy_declaration(),
          drop_cache_declaration(),
          san_restore_declaration(),
          san_adaptive_declaration(),
          san_lazy_declaration(),
          postcopy_declaration(),
          hybrid_declaration(),
          stop_and_copy_declaration(),
      }
{
  for (size_t i = 0; i < policies_.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (policies_[i].name == policies_[j].name)
        throw std::logic_error("policy '" + policies_[i].name + "' declared twice");
}

const PolicyRegistry& PolicyRegistry::instance()
{
  static const PolicyRegistry registry;
  return registry;
}

std::string PolicyRegistry::names() const
{
  std::string out;
  for (const auto& p : policies_)
    out += (out.empty() ? "" : ", ") + p.name;
  return out;
}

const PolicyDeclaration& PolicyRegistry::find(const std::string& name) const
{
  for (const auto& p : policies_)
    if (p.name == name)
      return p;
  throw UnknownPolicy("unknown policy '" + name + "'; valid policies are: " + names());
}

}  // namespace migsim
