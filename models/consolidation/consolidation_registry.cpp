#include "models/consolidation/consolidation_registry.hpp"

#include "models/consolidation/iqr_mmt_policy.hpp"
#include "models/consolidation/lr_mmt_policy.hpp"
#include "models/consolidation/lrr_mmt_policy.hpp"
#include "models/consolidation/mad_mmt_policy.hpp"
#include "models/consolidation/no_consolidation_policy.hpp"
#include "models/consolidation/thr_mmt_policy.hpp"

namespace migsim {

ConsolidationRegistry::ConsolidationRegistry()
    : policies_{
          no_consolidation_declaration(),
          thr_mmt_declaration(),
          iqr_mmt_declaration(),
          mad_mmt_declaration(),
          lr_mmt_declaration(),
          lrr_mmt_declaration(),
      }
{
  for (size_t i = 0; i < policies_.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (policies_[i].name == policies_[j].name)
        throw std::logic_error("consolidation policy '" + policies_[i].name + "' declared twice");
}

const ConsolidationRegistry& ConsolidationRegistry::instance()
{
  static const ConsolidationRegistry registry;
  return registry;
}

std::string ConsolidationRegistry::names() const
{
  std::string out;
  for (const auto& p : policies_)
    out += (out.empty() ? "" : ", ") + p.name;
  return out;
}

const ConsolidationPolicyDeclaration* ConsolidationRegistry::find_if_any(const std::string& name) const
{
  for (const auto& p : policies_)
    if (p.name == name)
      return &p;
  return nullptr;
}

const ConsolidationPolicyDeclaration& ConsolidationRegistry::find(const std::string& name) const
{
  if (const auto* p = find_if_any(name))
    return *p;
  throw UnknownConsolidationPolicy("unknown consolidation policy '" + name + "'; valid ones are: " + names());
}

}  // namespace migsim
