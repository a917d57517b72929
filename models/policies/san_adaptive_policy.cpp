#include "models/policies/san_adaptive_policy.hpp"

#include "models/policies/qemu_options_policy.hpp"
#include "models/policies/san_mapping.hpp"

#include <algorithm>
#include <cmath>

namespace migsim {

PolicyDeclaration san_adaptive_declaration()
{
  return {"san-adaptive", "splits clean cache between LAN and SAN so both finish together (Akiyama 2016)",
          with_qemu_option_specs({map_time_per_GiB_spec()}), [](const PolicyParams& p) {
            return with_qemu_options(std::make_unique<SanAdaptivePolicy>(p.at("map_time_per_GiB")), p);
          }};
}

RoundPlan SanAdaptivePolicy::first_round(const MigrationSnapshot& s)
{
  RoundPlan plan           = RoundPlan::over_lan(s.memory.dirty());
  const PageBitmap clean   = s.memory.pages_of(PageClass::CleanCache) & s.memory.dirty();
  const double page        = static_cast<double>(s.memory.page_size());
  const double memory      = static_cast<double>(plan.lan.pages.count()) * page;
  const double cache       = static_cast<double>(clean.count()) * page;
  const double lan_Bps     = s.lan_Bps;
  const double san_Bps     = s.san_Bps;
  if (san_Bps <= 0 || lan_Bps <= 0 || cache <= 0)
    return plan;
  const double map_per_byte = map_time(s, 1) / page;
  // (M - y) / B_lan = m y + y / B_san: both paths finish together.
  const double share = std::min(cache, memory / (1 + lan_Bps / san_Bps + lan_Bps * map_per_byte));
  const auto pages   = static_cast<uint64_t>(std::floor(share / page));
  plan.san.pages     = clean;
  plan.san.pages.keep_first(pages);
  plan.lan.pages.subtract(plan.san.pages);
  plan.san.delay_s = map_time(s, pages);
  return plan;
}

}  // namespace migsim
