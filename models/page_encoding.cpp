#include "models/page_encoding.hpp"

#include <cmath>

namespace migsim {

std::vector<ParamSpec> page_encoding_specs()
{
  const auto flag = [](const char* name, const char* what) { return ParamSpec{name, std::nullopt, 0, 0, 1, what}; };
  return {
      flag("zero_page_detection", "1: a free (zero) page costs a header only"),
      {"zero_page_bytes", Quantity::Bytes, 8, 0, 65536, "zero page detection: bytes sent per zero page"},
      flag("free_page_hinting", "1: free pages are not sent at all (virtio-balloon free page hints)"),
      flag("xbzrle", "1: delta-compress pages sent again (QEMU XBZRLE)"),
      {"xbzrle_hit_ratio", std::nullopt, 0.8, 0, 1, "xbzrle: share of re-sent pages found in the cache"},
      {"xbzrle_compression_ratio", std::nullopt, 0.25, 0, 1, "xbzrle: encoded size / page size of a cache hit"},
      {"xbzrle_cpu_per_page", Quantity::Duration, 2e-6, 0, 1, "xbzrle: source CPU time to encode one re-sent page"},
  };
}

PageEncodingSettings PageEncodingSettings::from(const PolicyParams& params)
{
  const std::vector<ParamSpec> specs = page_encoding_specs();
  const auto get = [&](const char* name) { return param_value(params, specs, name); };
  PageEncodingSettings e;
  e.zero_pages        = get("zero_page_detection") >= 0.5;
  e.zero_page_bytes   = get("zero_page_bytes");
  e.free_page_hinting = get("free_page_hinting") >= 0.5;
  e.xbzrle            = get("xbzrle") >= 0.5;
  e.hit_ratio         = get("xbzrle_hit_ratio");
  e.compression_ratio = get("xbzrle_compression_ratio");
  e.cpu_per_page      = get("xbzrle_cpu_per_page");
  return e;
}

LanEncoding PageEncoding::apply(const GuestMemory& memory, RoundPlan& plan)
{
  if (!settings_.any())
    return {};
  if (sent_before_.size() != memory.page_count())
    sent_before_ = PageBitmap(memory.page_count());
  const bool zero_matters = settings_.zero_pages || settings_.free_page_hinting;
  PageBitmap zero         = zero_matters ? plan.lan.pages & memory.pages_of(PageClass::Free) : PageBitmap(memory.page_count());
  if (settings_.free_page_hinting) {
    plan.lan.pages.subtract(zero);
    plan.drop |= zero;
    zero = PageBitmap(memory.page_count());
  }
  const PageBitmap resent = settings_.xbzrle ? minus(plan.lan.pages & sent_before_, zero) : PageBitmap(memory.page_count());
  const auto page         = static_cast<double>(memory.page_size());
  const auto zeros        = static_cast<double>(zero.count());
  const auto repeats      = static_cast<double>(resent.count());
  const auto whole        = static_cast<double>(plan.lan.pages.count()) - zeros - repeats;
  const double h = settings_.hit_ratio, c = settings_.compression_ratio;
  const double wire = (settings_.zero_pages ? zeros * settings_.zero_page_bytes : zeros * page) +
                      repeats * page * (h * c + (1 - h)) + whole * page;
  if (settings_.xbzrle)
    sent_before_last_ = sent_before_;
  sent_before_ |= plan.lan.pages;
  return {static_cast<uint64_t>(std::llround(wire)), repeats * settings_.cpu_per_page};
}

bool PageEncoding::resent(const GuestMemory& memory, uint64_t page) const
{
  return settings_.xbzrle && sent_before_last_.test(page) &&
         !((settings_.zero_pages || settings_.free_page_hinting) && memory.page_class(page) == PageClass::Free);
}

double PageEncoding::wire_bytes_of(const GuestMemory& memory, uint64_t page) const
{
  const auto size = static_cast<double>(memory.page_size());
  if (settings_.zero_pages && memory.page_class(page) == PageClass::Free)
    return settings_.zero_page_bytes;
  if (resent(memory, page))
    return size * (settings_.hit_ratio * settings_.compression_ratio + (1 - settings_.hit_ratio));
  return size;
}

double PageEncoding::cpu_s_of(const GuestMemory& memory, uint64_t page) const
{
  return resent(memory, page) ? settings_.cpu_per_page : 0;
}

void PageEncoding::not_sent(const PageBitmap& pages)
{
  if (sent_before_.size() == 0)
    return;  // no encoding on: nothing remembered
  sent_before_.subtract(pages);
  if (settings_.xbzrle)
    sent_before_ |= sent_before_last_ & pages;
}

}  // namespace migsim
