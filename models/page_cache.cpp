#include "models/page_cache.hpp"

#include <stdexcept>

namespace migsim {

PageCache::PageCache(GuestMemory& memory, uint64_t data_set_blocks)
    : memory_(memory), block_slot_(data_set_blocks, none), absent_(memory.page_count())
{
  if (data_set_blocks >= none)
    throw std::invalid_argument("data set too large for the page cache model (2^32 blocks at most)");
  const bool wide = memory.page_count() > UINT32_MAX;
  const uint64_t n = memory.count(PageClass::CleanCache) + memory.count(PageClass::DirtyCache);
  if (n >= none)
    throw std::invalid_argument("page cache too large for the page cache model (2^32 pages at most)");
  slots_.resize(n);
  if (wide)
    wide_pages_.resize(n);
  uint32_t s = 0;
  for (uint64_t p = 0; p < memory.page_count() && s < n; ++p)
    if (is_cache(p)) {
      if (wide)
        wide_pages_[s] = p;
      else
        slots_[s].page = static_cast<uint32_t>(p);
      ++s;
    }
  for (s = 0; s < static_cast<uint32_t>(n); ++s) {
    if (s < data_set_blocks) {
      slots_[s].block = s;
      block_slot_[s]  = s;
    }
    if (memory.page_class(page_of(s)) == PageClass::DirtyCache)
      dirty_fifo_.push_back(page_of(s));
    push_back(s);
  }
}

bool PageCache::valid(uint32_t slot) const
{
  return slots_[slot].block != none && is_cache(page_of(slot));
}

bool PageCache::cached(uint64_t block) const
{
  return block_slot_[block] != none && valid(block_slot_[block]);
}

void PageCache::unlink(uint32_t s)
{
  Slot& x = slots_[s];
  (x.prev == none ? head_ : slots_[x.prev].next) = x.next;
  (x.next == none ? tail_ : slots_[x.next].prev) = x.prev;
  x.prev = x.next = none;
}

void PageCache::push_front(uint32_t s)
{
  slots_[s].next = head_;
  slots_[s].prev = none;
  (head_ == none ? tail_ : slots_[head_].prev) = s;
  head_ = s;
}

void PageCache::push_back(uint32_t s)
{
  slots_[s].prev = tail_;
  slots_[s].next = none;
  (tail_ == none ? head_ : slots_[tail_].next) = s;
  tail_ = s;
}

void PageCache::move_to_front(uint32_t s)
{
  if (s != head_) {  // unlinking and pushing the head changes nothing
    unlink(s);
    push_front(s);
  }
}

uint32_t PageCache::take_victim(CacheTraffic& traffic)
{
  const uint32_t s = tail_;
  Slot& x          = slots_[s];
  if (x.block != none) {
    if (memory_.page_class(page_of(s)) == PageClass::DirtyCache)
      ++traffic.write_backs;
    block_slot_[x.block] = none;
    x.block              = none;
  }
  unlink(s);
  return s;
}

void PageCache::access(uint64_t first_block, uint64_t blocks, bool write, CacheTraffic& traffic)
{
  if (slots_.empty()) {  // no cache at all: every read goes to storage
    (write ? traffic.writes : traffic.misses) += blocks;
    return;
  }
  for (uint64_t b = first_block; b < first_block + blocks && b < block_slot_.size(); ++b) {
    uint32_t s = block_slot_[b];
    // A slot's block maps back to the slot, so a slot found here holds b: it is valid if still cache.
    if (s != none && !is_cache(page_of(s))) {  // dropped or reused since: forget it, refill this slot first
      block_slot_[b]  = none;
      slots_[s].block = none;
      unlink(s);
      push_back(s);
      s = none;
    }
    if (s == none) {
      s               = take_victim(traffic);
      slots_[s].block = static_cast<uint32_t>(b);
      block_slot_[b]  = s;
      const uint64_t page = page_of(s);
      memory_.fill(page, write ? PageClass::DirtyCache : PageClass::CleanCache);
      absent_.reset(page);
      if (write) {
        ++traffic.writes;
        dirty_fifo_.push_back(page);
      } else {
        ++traffic.misses;
      }
      push_front(s);
    } else {
      const uint64_t page = page_of(s);
      move_to_front(s);
      if (write) {
        ++traffic.writes;
        memory_.write(page);
        dirty_fifo_.push_back(page);
        absent_.reset(page);
      } else if (absent_.test(page)) {
        ++traffic.misses;  // cached, but its content is still on the way: fetch it on demand
        absent_.reset(page);
      } else {
        ++traffic.hits;
      }
    }
  }
}

void PageCache::warm_up(const std::vector<uint32_t>& recent_records, uint64_t blocks_per_record)
{
  for (Slot& x : slots_)
    if (x.block != none) {
      block_slot_[x.block] = none;
      x.block              = none;
    }
  // The LRU list runs in slot order (the constructor links it so): filling slot j with the j-th most
  // recent block orders it by recency.
  uint32_t j = 0;
  for (const uint32_t record : recent_records)
    for (uint64_t i = blocks_per_record; i-- > 0 && j < slots_.size(); ++j) {
      const uint64_t block = record * blocks_per_record + i;
      slots_[j].block      = static_cast<uint32_t>(block);
      block_slot_[block]   = j;
    }
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
