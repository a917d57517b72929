#include "models/page_encoding.hpp"

#include <cmath>

namespace migsim {

void PageEncoding::apply(const GuestMemory& memory, RoundPlan& plan)
{
  if (!settings_.any())
    return;
  if (sent_before_.size() != memory.page_count())
    sent_before_ = PageBitmap(memory.page_count());
  const bool zero_matters = settings_.zero_pages || settings_.free_page_hinting;
  PageBitmap zero         = zero_matters ? plan.lan & memory.pages_of(PageClass::Free) : PageBitmap(memory.page_count());
  if (settings_.free_page_hinting) {
    plan.lan.subtract(zero);
    plan.drop |= zero;
    zero = PageBitmap(memory.page_count());
  }
  const PageBitmap resent = settings_.xbzrle ? minus(plan.lan & sent_before_, zero) : PageBitmap(memory.page_count());
  const auto page         = static_cast<double>(memory.page_size());
  const auto zeros        = static_cast<double>(zero.count());
  const auto repeats      = static_cast<double>(resent.count());
  const auto whole        = static_cast<double>(plan.lan.count()) - zeros - repeats;
  const double h = settings_.hit_ratio, c = settings_.compression_ratio;
  const double wire = (settings_.zero_pages ? zeros * settings_.zero_page_bytes : zeros * page) +
                      repeats * page * (h * c + (1 - h)) + whole * page;
  plan.lan_wire_bytes = static_cast<uint64_t>(std::llround(wire));
  plan.cpu_s += repeats * settings_.cpu_per_page;
  sent_before_ |= plan.lan;
}

}  // namespace migsim
