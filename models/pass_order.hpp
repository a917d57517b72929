// The order in which a round sent in pieces visits its pages (QEMU's walk of its migration bitmap):
// free pages first, then the others, each by page number, starting where the previous such round
// stopped and wrapping round, as QEMU keeps its scan position across dirty-bitmap syncs (so the pages
// a round left unsent go first in the next). Free pages first: migsim's layout puts free memory last,
// while in QEMU's records the rest of a pass sent at the switch-over is not zero pages (its
// downtime-bytes are 0.25-1.04 x bandwidth x downtime limit, docs/validation.md).
// A position is a rank in that order: page p is rank p if free, page_count + p otherwise.
#pragma once

#include "models/page_bitmap.hpp"

#include <array>
#include <cstdint>

namespace migsim {

class PassOrder {
public:
  /// Walks `pages`, of which `free` are free memory, from rank `position` (0 <= position < 2 x size).
  PassOrder(const PageBitmap& pages, const PageBitmap& free, uint64_t position)
      : free_(pages & free), other_(minus(pages, free)), n_(pages.size())
  {
    const uint64_t end = 2 * n_;
    position %= end > 0 ? end : 1;
    add(position, end);
    add(0, position);
    page_ = segment_ < count_ ? segments_[segment_].set->next(segments_[segment_].from) : 0;
  }
  /// The next page in order; false once every page has been visited.
  bool next(uint64_t& page)
  {
    while (segment_ < count_ && page_ >= segments_[segment_].to) {
      if (++segment_ < count_)
        page_ = segments_[segment_].set->next(segments_[segment_].from);
    }
    if (segment_ == count_)
      return false;
    page      = page_;
    position_ = (segments_[segment_].set == &free_ ? page : n_ + page) + 1;
    page_     = segments_[segment_].set->next(page + 1);
    return true;
  }
  /// Where the next round starts: the rank after the last page visited.
  uint64_t position() const { return position_; }

private:
  struct Segment {
    const PageBitmap* set;
    uint64_t from, to;  // pages [from, to) of `set`
  };
  /// The ranks [first, last) as segments of free_ (ranks below n_) and other_ (the rest).
  void add(uint64_t first, uint64_t last)
  {
    if (first < n_ && first < last)
      segments_[count_++] = {&free_, first, std::min(last, n_)};
    if (last > n_ && std::max(first, n_) < last)
      segments_[count_++] = {&other_, std::max(first, n_) - n_, last - n_};
  }

  PageBitmap free_, other_;
  uint64_t n_;
  std::array<Segment, 4> segments_{};
  std::size_t count_    = 0;
  std::size_t segment_  = 0;
  uint64_t page_        = 0;  // the next candidate page of the current segment
  uint64_t position_    = 0;
};

}  // namespace migsim
