#include "models/page_cache.hpp"

#include <stdexcept>

namespace migsim {

PageCache::PageCache(GuestMemory& memory, uint64_t records, uint64_t blocks_per_record)
    : memory_(memory)
    , blocks_(blocks_per_record)
    , first_page_(memory.first_cache_page())
    , record_frame_(records, none)
    , absent_(memory.page_count())
{
  if (records >= none)
    throw std::invalid_argument("data set too large for the page cache model (2^32 records at most)");
  const uint64_t pages = memory.count(PageClass::CleanCache) + memory.count(PageClass::DirtyCache);
  for (uint64_t p = first_page_; p < first_page_ + pages; ++p) {
    if (!is_cache(p))
      throw std::logic_error("the page cache must start as one run of pages, as GuestMemory lays it out");
    if (memory.page_class(p) == PageClass::DirtyCache)
      dirty_fifo_.push_back(p);
  }
  const uint64_t n = blocks_ > 0 ? pages / blocks_ : 0;
  if (n >= none)
    throw std::invalid_argument("page cache too large for the page cache model (2^32 frames at most)");
  frames_.resize(n);
  for (uint32_t f = 0; f < static_cast<uint32_t>(n); ++f) {
    if (f < records) {
      frames_[f].record = f;
      record_frame_[f]  = f;
    }
    push_back(f);
  }
}

void PageCache::warm_up(const std::vector<uint32_t>& recent_records)
{
  for (Frame& x : frames_)
    if (x.record != none) {
      record_frame_[x.record] = none;
      x.record                = none;
    }
  // The LRU list runs in frame order (the constructor links it so): frame j holds the j-th most recent.
  for (uint32_t j = 0; j < recent_records.size() && j < frames_.size(); ++j) {
    frames_[j].record                 = recent_records[j];
    record_frame_[recent_records[j]] = j;
  }
}

bool PageCache::cached(uint64_t record) const
{
  const uint32_t f = record_frame_[record];
  if (f == none)
    return false;
  for (uint64_t p = first_page(f); p < first_page(f) + blocks_; ++p)
    if (!is_cache(p))
      return false;
  return true;
}

void PageCache::unlink(uint32_t f)
{
  Frame& x = frames_[f];
  (x.prev == none ? head_ : frames_[x.prev].next) = x.next;
  (x.next == none ? tail_ : frames_[x.next].prev) = x.prev;
  x.prev = x.next = none;
}

void PageCache::push_front(uint32_t f)
{
  frames_[f].next = head_;
  frames_[f].prev = none;
  (head_ == none ? tail_ : frames_[head_].prev) = f;
  head_ = f;
}

void PageCache::push_back(uint32_t f)
{
  frames_[f].prev = tail_;
  frames_[f].next = none;
  (tail_ == none ? head_ : frames_[tail_].next) = f;
  tail_ = f;
}

void PageCache::move_to_front(uint32_t f)
{
  if (f != head_) {  // unlinking and pushing the head changes nothing
    unlink(f);
    push_front(f);
  }
}

uint32_t PageCache::evict(CacheTraffic& traffic)
{
  const uint32_t f = tail_;
  Frame& x         = frames_[f];
  if (x.record != none) {
    for (uint64_t p = first_page(f); p < first_page(f) + blocks_; ++p)
      if (memory_.page_class(p) == PageClass::DirtyCache)
        ++traffic.write_backs;
    record_frame_[x.record] = none;
    x.record                = none;
  }
  return f;
}

void PageCache::fill(uint64_t page, bool write, CacheTraffic& traffic)
{
  memory_.fill(page, write ? PageClass::DirtyCache : PageClass::CleanCache);
  absent_.reset(page);
  if (write) {
    ++traffic.writes;
    dirty_fifo_.push_back(page);
  } else {
    ++traffic.misses;
  }
}

void PageCache::access(uint64_t record, bool write, CacheTraffic& traffic)
{
  if (frames_.empty()) {  // no cache at all: every read goes to storage
    (write ? traffic.writes : traffic.misses) += blocks_;
    return;
  }
  uint32_t f = record_frame_[record];
  if (f == none) {
    f                      = evict(traffic);
    frames_[f].record      = static_cast<uint32_t>(record);
    record_frame_[record]  = f;
    for (uint64_t p = first_page(f); p < first_page(f) + blocks_; ++p)
      fill(p, write, traffic);
  } else {
    for (uint64_t p = first_page(f); p < first_page(f) + blocks_; ++p) {
      if (!is_cache(p)) {  // dropped or reused since: refilled in place
        fill(p, write, traffic);
      } else if (write) {
        ++traffic.writes;
        memory_.write(p);
        dirty_fifo_.push_back(p);
        absent_.reset(p);
      } else if (absent_.test(p)) {
        ++traffic.misses;  // cached, but its content is still on the way: fetch it on demand
        absent_.reset(p);
      } else {
        ++traffic.hits;
      }
    }
  }
  move_to_front(f);
}

void PageCache::write_back(uint64_t max_pages, CacheTraffic& traffic)
{
  for (uint64_t n = 0; n < max_pages && !dirty_fifo_.empty(); dirty_fifo_.pop_front()) {
    const uint64_t page = dirty_fifo_.front();
    if (memory_.page_class(page) == PageClass::DirtyCache) {
      memory_.mark_written_back(page);
      ++traffic.write_backs;
      ++n;
    }
  }
}

}  // namespace migsim
