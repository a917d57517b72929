// Where each page's copy at the destination came from. The consistency rule of SAN restore
// (Akiyama et al. 2014): a page restored from storage may have been written during migration and
// then sent over the LAN; whatever the order of arrival, the LAN copy wins, because only the LAN
// carries what the guest wrote.
#pragma once

#include "models/page_bitmap.hpp"

#include <cstdint>

namespace migsim {

enum class CopySource { None, Lan, San };

class DestinationMemory {
public:
  explicit DestinationMemory(uint64_t pages) : lan_(pages), san_(pages) {}

  void receive_lan(const PageBitmap& pages)
  {
    lan_ |= pages;
    san_.subtract(pages);
  }
  void receive_san(const PageBitmap& pages) { san_ |= minus(pages, lan_); }

  CopySource source(uint64_t page) const
  {
    return lan_.test(page) ? CopySource::Lan : san_.test(page) ? CopySource::San : CopySource::None;
  }
  /// Pages with a copy from either path.
  PageBitmap present() const { return lan_ | san_; }

private:
  PageBitmap lan_, san_;
};

}  // namespace migsim
