#include "dirtying_model.hpp"

#include <algorithm>
#include <cmath>

namespace migsim {

DirtyingModel::DirtyingModel(const DirtyingSpec& spec, uint64_t seed) : spec_(spec), random_(seed, "dirtying") {}

uint64_t DirtyingModel::pick_page(uint64_t page_count)
{
  switch (spec_.pattern) {
    case DirtyPattern::Sequential: {
      const uint64_t page = cursor_;
      cursor_             = (cursor_ + 1) % page_count;
      return page;
    }
    case DirtyPattern::HotSet: {
      const uint64_t hot = std::clamp<uint64_t>(static_cast<uint64_t>(spec_.hot_fraction * page_count), 1, page_count);
      if (hot == page_count || random_.uniform() < spec_.hot_share)
        return random_.below(hot);
      return hot + random_.below(page_count - hot);
    }
    default:
      return random_.below(page_count);
  }
}

void DirtyingModel::advance(GuestMemory& memory, double seconds)
{
  if (seconds <= 0 || spec_.pages_per_s <= 0)
    return;
  const double exact    = carry_ + spec_.pages_per_s * seconds;
  const double whole    = std::floor(exact);
  carry_                = exact - whole;
  const uint64_t writes = static_cast<uint64_t>(whole);
  const uint64_t n      = memory.page_count();
  if (spec_.pattern == DirtyPattern::Sequential && writes >= n) {  // a full sweep or more: every page
    for (uint64_t p = 0; p < n; ++p)
      memory.write(p);
    cursor_ = (cursor_ + writes) % n;
    return;
  }
  for (uint64_t i = 0; i < writes; ++i)
    memory.write(pick_page(n));
}

}  // namespace migsim
