// The guest's page cache: an LRU over records (a record = one request's b consecutive blocks), each held
// in a frame of b consecutive pages of those that held page cache when the run started. Its content is
// the clean/dirty cache classes of GuestMemory, so what migration does to the cache (dropping it,
// restoring it) shows in later hits and misses, and what the cache does (filling pages on misses,
// dirtying them on writes) shows in what pre-copy must send.
//
// Initially frame i holds record i: the most popular data is cached (warm_up() then puts the cache in
// its steady state). A page of a frame that is no longer cache (dropped by a policy, or reused by the
// guest) holds nothing: when its record is asked for, it misses and is refilled in place.
// Pages marked absent are cached but not yet at the host the VM runs on (san-lazy resumes before the
// restore ends): touching one costs a storage read, as a demand fetch would.
// Limits: reads and whole-record writes only; eviction writes a frame's dirty pages back before reuse;
// the last (cache pages mod b) cache pages belong to no frame.
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
  /// A cache for a data set of `records` records of `blocks_per_record` blocks (one page each).
  PageCache(GuestMemory& memory, uint64_t records, uint64_t blocks_per_record);

  /// One request: all the blocks of `record`, read or written whole.
  void access(uint64_t record, bool write, CacheTraffic& traffic);
  /// The requests of one step, in order, as access() one after the other (the same result), with the
  /// memory of later requests fetched ahead. Returns how many requests missed at least once.
  template <class Request> uint64_t access_all(const std::vector<Request>& requests, CacheTraffic& traffic);
  /// Puts the LRU in the steady state of the guest's IO before time starts (right after construction):
  /// `recent_records` are the workload's most recently requested records, most recent first
  /// (lru_steady_state.hpp); frame j then holds the j-th. Page classes and the dirty log are left as
  /// they are. Without it the initial content (the most popular records) would decay towards LRU's
  /// lower hit ratio during the run and bias the IO baseline.
  void warm_up(const std::vector<uint32_t>& recent_records);
  /// Writes back up to `max_pages` dirty cache pages, oldest first.
  void write_back(uint64_t max_pages, CacheTraffic& traffic);

  void mark_absent(const PageBitmap& pages) { absent_ |= pages; }
  void mark_present(uint64_t page) { absent_.reset(page); }
  uint64_t frames() const { return frames_.size(); }
  /// Whether `record` has a frame whose pages are all cache.
  bool cached(uint64_t record) const;

private:
  static constexpr uint32_t none = UINT32_MAX;
  /// One frame of the LRU in one 12-byte record: a hit reads the record's frame, this record, its two
  /// neighbours' and the page classes of the frame's pages, which lie side by side.
  struct Frame {
    uint32_t prev   = none;  ///< towards head_ (more recent)
    uint32_t next   = none;  ///< towards tail_ (next victim)
    uint32_t record = none;  ///< the record it holds, or none
  };
  uint64_t first_page(uint32_t frame) const { return first_page_ + static_cast<uint64_t>(frame) * blocks_; }
  bool is_cache(uint64_t page) const
  {
    const PageClass c = memory_.page_class(page);
    return c == PageClass::CleanCache || c == PageClass::DirtyCache;
  }
  void unlink(uint32_t frame);
  void push_front(uint32_t frame);
  void push_back(uint32_t frame);
  void move_to_front(uint32_t frame);
  /// The least recently used frame, its dirty pages written back and its record forgotten.
  uint32_t evict(CacheTraffic& traffic);
  /// New content in `page`: a block read from storage, or written whole.
  void fill(uint64_t page, bool write, CacheTraffic& traffic);
  /// Hints into the CPU cache, a few requests ahead: where `record`'s frame is recorded (stage 1), then
  /// that frame (stage 2), then its LRU neighbours, which unlinking writes, and the next victims and
  /// their records' index entries (stage 3). Hints only: no effect on results.
  void prefetch_index(uint64_t record) const { __builtin_prefetch(&record_frame_[record]); }
  void prefetch_frame(uint64_t record) const
  {
    if (const uint32_t f = record_frame_[record]; f != none)
      __builtin_prefetch(&frames_[f]);
  }
  void prefetch_neighbours(uint64_t record) const
  {
    if (const uint32_t f = record_frame_[record]; f != none) {
      if (frames_[f].prev != none)
        __builtin_prefetch(&frames_[frames_[f].prev]);
      if (frames_[f].next != none)
        __builtin_prefetch(&frames_[frames_[f].next]);
    }
    if (tail_ != none)
      for (uint32_t v = frames_[tail_].prev, k = 0; v != none && k < 2; v = frames_[v].prev, ++k) {
        __builtin_prefetch(&frames_[v]);
        if (frames_[v].record != none)
          __builtin_prefetch(&record_frame_[frames_[v].record]);
      }
  }

  GuestMemory& memory_;
  uint64_t blocks_;      // pages per frame
  uint64_t first_page_;  // the first page of frame 0
  std::vector<Frame, HugePageAllocator<Frame>> frames_;
  std::vector<uint32_t, HugePageAllocator<uint32_t>> record_frame_;
  uint32_t head_ = none, tail_ = none;  // LRU list: head_ most recent, tail_ next victim
  std::deque<uint64_t> dirty_fifo_;
  PageBitmap absent_;
};

template <class Request> uint64_t PageCache::access_all(const std::vector<Request>& requests, CacheTraffic& traffic)
{
  constexpr size_t ahead = 4;
  uint64_t miss_requests = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (i + 3 * ahead < requests.size())
      prefetch_index(requests[i + 3 * ahead].record);
    if (i + 2 * ahead < requests.size())
      prefetch_frame(requests[i + 2 * ahead].record);
    if (i + ahead < requests.size())
      prefetch_neighbours(requests[i + ahead].record);
    const uint64_t before = traffic.misses;
    access(requests[i].record, requests[i].write, traffic);
    miss_requests += traffic.misses > before;
  }
  return miss_requests;
}

}  // namespace migsim
