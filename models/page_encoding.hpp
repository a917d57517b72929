// What a round's LAN pages cost on the wire and in source CPU once QEMU's page encodings are on. The
// simulator applies it to the LAN pages of every plan (sim/engine/migration_sender.cpp); the encodings
// are switched on by parameters (below) that today only `precopy` declares.
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
#include "models/page_bitmap.hpp"
#include "models/param_spec.hpp"
#include "models/policies/migration_policy.hpp"

#include <optional>
#include <vector>

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
  /// From the parameters zero_page_detection, zero_page_bytes, free_page_hinting, xbzrle, xbzrle_*;
  /// a missing one takes its default (all encodings off).
  static PageEncodingSettings from(const PolicyParams& params);
};

/// The parameters above, with units, defaults and bounds (part of `precopy`'s).
std::vector<ParamSpec> page_encoding_specs();

/// What encoding makes a round's LAN pages cost.
struct LanEncoding {
  /// Bytes put on the LAN for the round's pages; none (no encoding on): pages x page size.
  std::optional<uint64_t> wire_bytes;
  /// Source CPU seconds to encode them. Encoding overlaps sending (one migration thread encodes page
  /// k + 1 while page k is on the wire), so the round lasts max(transfer, cpu_s).
  double cpu_s = 0;
};

class PageEncoding {
public:
  explicit PageEncoding(const PageEncodingSettings& settings) : settings_(settings) {}

  /// Encodes the plan's LAN pages: moves hinted free pages from plan.lan to plan.drop, remembers the
  /// rest as sent, and returns their cost.
  LanEncoding apply(const GuestMemory& memory, RoundPlan& plan);
  /// One page of the plan last applied: what it costs on the wire (its term of the formula above) and
  /// in source CPU. A round sent in pieces prices each piece with it.
  double wire_bytes_of(const GuestMemory& memory, uint64_t page) const;
  double cpu_s_of(const GuestMemory& memory, uint64_t page) const;
  /// Pages of the plan last applied that were not sent after all (the round ended early): they count
  /// as sent before only if an earlier round sent them.
  void not_sent(const PageBitmap& pages);

private:
  bool resent(const GuestMemory& memory, uint64_t page) const;

  PageEncodingSettings settings_;
  PageBitmap sent_before_;       // every page some round put on the LAN
  PageBitmap sent_before_last_;  // the same before the plan last applied (kept with XBZRLE only)
};

}  // namespace migsim
