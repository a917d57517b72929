// What a round's pages cost on the wire and in source CPU once QEMU's page encodings are on.
//
//  - zero pages (QEMU zero-page detection): a free (zero) page costs a header only, `zero_page_bytes`;
//  - free-page hinting (virtio-balloon free-page-hint): free pages are not sent at all; they leave
//    the plan's LAN set for its drop set, so they are not dirty any more either;
//  - XBZRLE (delta compression against a cache of pages sent before; Svärd et al., VEE 2011): a page
//    sent in an earlier round and sent again is found in the cache with probability `hit_ratio`
//    and then costs `compression_ratio` x page, otherwise a whole page; each re-sent page costs
//    `cpu_per_page` seconds of source CPU (encoding), which the round overlaps with sending.
// Bytes per round:  W = Z x zero_page_bytes + R x page x (h x c + (1 - h)) + (L - Z - R) x page
// for L pages sent, Z of them zero and R re-sent non-zero ones; CPU = R x cpu_per_page.
// Limits: hit ratio and compression ratio are parameters, not derived from the XBZRLE cache size
// or page content (QEMU: xbzrle-cache-size, 64 MiB by default); the expected byte count is rounded
// to a whole byte per round. A page is "sent before" once any round sent it, whatever its encoding.
#pragma once

#include "models/guest_memory.hpp"
#include "models/policies/migration_policy.hpp"
#include "models/page_bitmap.hpp"

namespace migsim {

struct PageEncodingSettings {
  bool zero_pages         = false;
  double zero_page_bytes  = 8;     ///< header of a zero page (QEMU: about 8 bytes)
  bool free_page_hinting  = false;
  bool xbzrle             = false;
  double hit_ratio        = 0.8;   ///< share of re-sent pages found in the XBZRLE cache
  double compression_ratio = 0.25; ///< encoded size / page size of a cache hit
  double cpu_per_page     = 2e-6;  ///< source CPU seconds to encode one re-sent page
  bool any() const { return zero_pages || free_page_hinting || xbzrle; }
};

class PageEncoding {
public:
  explicit PageEncoding(const PageEncodingSettings& settings) : settings_(settings) {}

  /// Applies the encodings to `plan` (moves hinted free pages to plan.drop, sets plan.lan_wire_bytes
  /// and plan.cpu_s) and remembers plan.lan as sent.
  void apply(const GuestMemory& memory, RoundPlan& plan);

private:
  PageEncodingSettings settings_;
  PageBitmap sent_before_;  // every page some round put on the LAN
};

}  // namespace migsim
