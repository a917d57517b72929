#include "models/xen_scan.hpp"

namespace migsim {

uint64_t xen_scan_order(uint64_t i, uint64_t pages)
{
  int order = 0;  // bits of the largest page number
  for (uint64_t n = pages - 1; n; n >>= 1)
    ++order;
  if (order <= 10)
    return i;
  const uint64_t mask = (uint64_t{1} << order) - 1;
  do  // rotate within the next power of two, walking the cycle until back inside [0, pages)
    i = ((i >> (order - 10)) | (i << 10)) & mask;
  while (i >= pages);
  return i;
}

PageBitmap send_skipping_rewritten(const PageBitmap& round, RunningGuest& guest, const std::function<double()>& now,
                                   const std::function<void(uint64_t)>& send_bytes)
{
  const uint64_t pages = round.size();
  const uint64_t page  = guest.memory().page_size();
  PageBitmap sent(pages);
  for (uint64_t scan = 0; scan < pages;) {
    guest.run_until(now());  // the peek: the log now holds exactly the pages written since the round began
    const PageBitmap& rewritten = guest.memory().dirty();
    uint64_t batch              = 0;
    for (; scan < pages && batch < xen_batch_pages; ++scan) {
      const uint64_t p = xen_scan_order(scan, pages);
      if (round.test(p) && !rewritten.test(p)) {
        sent.set(p);
        ++batch;
      }
    }
    if (batch > 0)
      send_bytes(batch * page);
  }
  return sent;
}

}  // namespace migsim
