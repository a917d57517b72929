// How the guest writes to its memory while it runs, with page identity: a page written twice in one
// round is sent once, so dirtying saturates as in real guests (distinct pages after t seconds over N
// pages at d writes/s: N (1 - exp(-d t / N)) for uniform writes).
//
// Patterns:
//  - uniform:    each write hits a page drawn uniformly from all pages;
//  - hotset:     a share `hot_share` of writes hits the first `hot_fraction` of pages (uniformly within),
//                the rest hits the other pages;
//  - sequential: writes sweep memory in page order and wrap around, so no page is re-written before
//                the whole memory has been: the no-re-dirtying case of the pre-copy closed form.
// The number of writes in an interval is rate x length, with the fractional part carried over, so the
// model can be advanced lazily to "now" whenever someone looks.
#pragma once

#include "guest_memory.hpp"
#include "random_stream.hpp"

#include <cstdint>

namespace migsim {

enum class DirtyPattern { Uniform, HotSet, Sequential };

struct DirtyingSpec {
  DirtyPattern pattern = DirtyPattern::Uniform;
  double pages_per_s   = 0;    ///< page writes per second
  double hot_fraction  = 0.1;  ///< hotset: fraction of pages that are hot
  double hot_share     = 0.9;  ///< hotset: fraction of writes that go to hot pages
};

class DirtyingModel {
public:
  DirtyingModel(const DirtyingSpec& spec, uint64_t seed);

  /// Applies the writes of `seconds` of guest run time to `memory`.
  void advance(GuestMemory& memory, double seconds);
  const DirtyingSpec& spec() const { return spec_; }

private:
  uint64_t pick_page(uint64_t page_count);

  DirtyingSpec spec_;
  RandomStream random_;
  double carry_     = 0;  // fractional write left from the previous interval
  uint64_t cursor_  = 0;  // sequential pattern: next page to write
};

}  // namespace migsim
