// Xen's pre-copy scan of one live round, with its "peek" (Clark et al., NSDI 2005, section 5.4;
// Xen 2.0 tools/libxc/xc_linux_save.c, the code those measurements ran). The round's pages are
// visited in Xen's pseudo-random order (the page number's bits rotated by 10, so that every batch
// samples all of memory) and sent in batches of 1024 pages; before each batch the dirty log is peeked
// and a page written again since the round began is skipped: it is dirty anyway and goes in a later
// round. This is why a busy guest's first round sends less than its memory, and why a page written
// faster than the scan reaches it is never sent live. Limits: the per-batch peek is Xen's; the page
// order within memory (hot pages first) follows GuestMemory's layout, not a real guest's.
#pragma once

#include "models/page_bitmap.hpp"
#include "models/running_guest.hpp"

#include <cstdint>
#include <functional>

namespace migsim {

constexpr uint64_t xen_batch_pages = 1024;  // BATCH_SIZE of xc_linux_save.c: 4 MiB of 4 KiB pages

/// Scan position `i` of a memory of `pages` pages -> the page Xen visits there (permute() in
/// xc_linux_save.c); a bijection on [0, pages). Memories of up to 1024 pages are scanned in order.
uint64_t xen_scan_order(uint64_t i, uint64_t pages);

/// Sends `round` (whose dirty bits the caller has just cleared) as Xen does: `now()` is the clock,
/// `send_bytes(n)` moves n bytes and returns once they arrived. Returns the pages actually sent.
PageBitmap send_skipping_rewritten(const PageBitmap& round, RunningGuest& guest, const std::function<double()>& now,
                                   const std::function<void(uint64_t)>& send_bytes);

}  // namespace migsim
