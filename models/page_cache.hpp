// The guest's page cache: an LRU over the pages that held page cache when the run started (its
// "slots"). Its content is the clean/dirty cache classes of GuestMemory, so what migration does to
// the cache (dropping it, restoring it) shows in later hits and misses, and what the cache does
// (filling pages on misses, dirtying them on writes) shows in what pre-copy must send.
//
// Initially slot i holds block i: the most popular data is cached. A slot whose page is no longer
// cache (dropped by a policy, or reused by the guest) holds nothing and is the next to be refilled.
// Pages marked absent are cached but not yet at the host the VM runs on (san-lazy resumes before the
// restore ends): touching one costs a storage read, as a demand fetch would.
// Limits: reads and whole-block writes only; eviction writes a dirty victim back before reuse.
#pragma once

#include "models/guest_memory.hpp"
#include "models/page_bitmap.hpp"

#include <cstdint>
#include <deque>
#include <vector>

namespace migsim {

struct CacheTraffic {
  uint64_t hits        = 0;  ///< page reads served from memory
  uint64_t misses      = 0;  ///< page reads that go to storage (including demand fetches)
  uint64_t writes      = 0;  ///< pages written
  uint64_t write_backs = 0;  ///< dirty pages written to storage (write-back or eviction)
};

class PageCache {
public:
  PageCache(GuestMemory& memory, uint64_t data_set_blocks);

  /// One request over `blocks` consecutive blocks.
  void access(uint64_t first_block, uint64_t blocks, bool write, CacheTraffic& traffic);
  /// Brings the LRU to its steady state under `workload` before time starts: replays requests until the
  /// cache has turned over once (at most `max_requests`), moving blocks between slots without touching
  /// page classes or the dirty log. Without it the initial content (the most popular blocks) would
  /// decay towards LRU's lower hit ratio during the run and bias the IO baseline.
  template <class Workload> void warm_up(Workload& workload, uint64_t max_requests);
  /// Writes back up to `max_pages` dirty cache pages, oldest first.
  void write_back(uint64_t max_pages, CacheTraffic& traffic);

  void mark_absent(const PageBitmap& pages) { absent_ |= pages; }
  void mark_present(uint64_t page) { absent_.reset(page); }
  uint64_t slots() const { return slot_page_.size(); }
  /// The page holding `block`, or none.
  bool cached(uint64_t block) const;

private:
  static constexpr uint32_t none = UINT32_MAX;
  /// LRU bookkeeping of one block access without any effect on memory; returns true on a miss.
  bool touch(uint64_t block);
  bool valid(uint32_t slot) const;
  void unlink(uint32_t slot);
  void push_front(uint32_t slot);
  void push_back(uint32_t slot);
  uint32_t take_victim(CacheTraffic& traffic);

  GuestMemory& memory_;
  std::vector<uint64_t> slot_page_;
  std::vector<uint32_t> slot_block_;
  std::vector<uint32_t> block_slot_;
  std::vector<uint32_t> prev_, next_;  // LRU list: head_ most recent, tail_ next victim
  uint32_t head_ = none, tail_ = none;
  std::deque<uint64_t> dirty_fifo_;
  PageBitmap absent_;
};

template <class Workload> void PageCache::warm_up(Workload& workload, uint64_t max_requests)
{
  if (slot_page_.empty() || workload.spec().requests_per_s <= 0)
    return;
  uint64_t misses = 0, requests = 0;
  while (misses < slot_page_.size() && requests < max_requests)
    for (const auto& r : workload.requests_for(1.0 / workload.spec().requests_per_s * 1024)) {
      ++requests;
      for (uint64_t b = r.first_block; b < r.first_block + workload.blocks_per_request(); ++b)
        misses += touch(b);
    }
}

}  // namespace migsim
