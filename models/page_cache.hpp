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
#include "models/huge_page_allocator.hpp"
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
  /// The requests of one step, in order, each over `blocks` blocks, as access() one after the other
  /// (the same result), with the memory of later requests fetched ahead. Returns how many requests
  /// missed at least once.
  template <class Request>
  uint64_t access_all(const std::vector<Request>& requests, uint64_t blocks, CacheTraffic& traffic);
  /// Puts the LRU in the steady state of the guest's IO before time starts (right after construction): `recent_records` are the
  /// workload's most recently requested records, most recent first (lru_steady_state.hpp), each of
  /// `blocks_per_record` blocks read in order, so the last block of a record is the more recent. Slot
  /// j (in page order) then holds the j-th most recent block; page classes and the dirty log are left
  /// as they are. Without it the initial content (the most popular blocks) would decay towards LRU's
  /// lower hit ratio during the run and bias the IO baseline.
  void warm_up(const std::vector<uint32_t>& recent_records, uint64_t blocks_per_record);
  /// Writes back up to `max_pages` dirty cache pages, oldest first.
  void write_back(uint64_t max_pages, CacheTraffic& traffic);

  void mark_absent(const PageBitmap& pages) { absent_ |= pages; }
  void mark_present(uint64_t page) { absent_.reset(page); }
  uint64_t slots() const { return slots_.size(); }
  /// The page holding `block`, or none.
  bool cached(uint64_t block) const;

private:
  static constexpr uint32_t none = UINT32_MAX;
  /// One slot of the LRU in one 16-byte record (four to a cache line): a hit reads the block's slot,
  /// this record and its two neighbours', not six separate arrays.
  struct Slot {
    uint32_t prev  = none;  ///< towards head_ (more recent)
    uint32_t next  = none;  ///< towards tail_ (next victim)
    uint32_t block = none;  ///< the block it holds, or none
    uint32_t page  = 0;     ///< its page (when the guest has under 2^32 pages; wide_pages_ otherwise)
  };
  uint64_t page_of(uint32_t slot) const { return wide_pages_.empty() ? slots_[slot].page : wide_pages_[slot]; }
  bool is_cache(uint64_t page) const
  {
    const PageClass c = memory_.page_class(page);
    return c == PageClass::CleanCache || c == PageClass::DirtyCache;
  }
  bool valid(uint32_t slot) const;
  void unlink(uint32_t slot);
  void push_front(uint32_t slot);
  void push_back(uint32_t slot);
  void move_to_front(uint32_t slot);
  /// Hints into the CPU cache where the slots of blocks [first, first + blocks) are recorded (stage 1),
  /// and then those slots' records (stage 2, once stage 1 has arrived). Hints only: no effect on results.
  void prefetch_index(uint64_t first) const
  {
    if (first < block_slot_.size())
      __builtin_prefetch(&block_slot_[first]);
  }
  void prefetch_slots(uint64_t first, uint64_t blocks) const
  {
    for (uint64_t b = first; b < first + blocks && b < block_slot_.size(); ++b)
      if (block_slot_[b] != none)
        __builtin_prefetch(&slots_[block_slot_[b]]);
  }
  /// Stage 3: the LRU neighbours of those slots (unlinking writes them), and what the next victims
  /// will touch: the slot before the tail and the index entry of the block it holds.
  void prefetch_neighbours(uint64_t first, uint64_t blocks) const
  {
    for (uint64_t b = first; b < first + blocks && b < block_slot_.size(); ++b)
      if (const uint32_t s = block_slot_[b]; s != none) {
        if (slots_[s].prev != none)
          __builtin_prefetch(&slots_[slots_[s].prev]);
        if (slots_[s].next != none)
          __builtin_prefetch(&slots_[slots_[s].next]);
      }
    if (tail_ != none)
      for (uint32_t v = slots_[tail_].prev, k = 0; v != none && k < 2; v = slots_[v].prev, ++k) {
        __builtin_prefetch(&slots_[v]);
        if (slots_[v].block != none)
          __builtin_prefetch(&block_slot_[slots_[v].block]);
      }
  }
  uint32_t take_victim(CacheTraffic& traffic);

  GuestMemory& memory_;
  std::vector<Slot, HugePageAllocator<Slot>> slots_;
  std::vector<uint64_t> wide_pages_;  // the slots' pages, only for guests of 2^32 pages or more
  std::vector<uint32_t, HugePageAllocator<uint32_t>> block_slot_;
  uint32_t head_ = none, tail_ = none;  // LRU list: head_ most recent, tail_ next victim
  std::deque<uint64_t> dirty_fifo_;
  PageBitmap absent_;
};

template <class Request>
uint64_t PageCache::access_all(const std::vector<Request>& requests, uint64_t blocks, CacheTraffic& traffic)
{
  constexpr size_t ahead = 4;
  uint64_t miss_requests = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (i + 3 * ahead < requests.size())
      prefetch_index(requests[i + 3 * ahead].first_block);
    if (i + 2 * ahead < requests.size())
      prefetch_slots(requests[i + 2 * ahead].first_block, blocks);
    if (i + ahead < requests.size())
      prefetch_neighbours(requests[i + ahead].first_block, blocks);
    const uint64_t before = traffic.misses;
    access(requests[i].first_block, blocks, requests[i].write, traffic);
    miss_requests += traffic.misses > before;
  }
  return miss_requests;
}

}  // namespace migsim
