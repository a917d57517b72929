#include "models/page_cache.hpp"

#include <stdexcept>

namespace migsim {

PageCache::PageCache(GuestMemory& memory, uint64_t data_set_blocks)
    : memory_(memory), block_slot_(data_set_blocks, none), absent_(memory.page_count())
{
  if (data_set_blocks >= none)
    throw std::invalid_argument("data set too large for the page cache model (2^32 blocks at most)");
  for (uint64_t p = 0; p < memory.page_count(); ++p) {
    const PageClass c = memory.page_class(p);
    if (c == PageClass::CleanCache || c == PageClass::DirtyCache)
      slot_page_.push_back(p);
  }
  const auto n = static_cast<uint32_t>(slot_page_.size());
  slot_block_.assign(n, none);
  prev_.assign(n, none);
  next_.assign(n, none);
  for (uint32_t s = 0; s < n; ++s) {
    if (s < data_set_blocks) {
      slot_block_[s] = s;
      block_slot_[s] = s;
    }
    if (memory.page_class(slot_page_[s]) == PageClass::DirtyCache)
      dirty_fifo_.push_back(slot_page_[s]);
    push_back(s);
  }
}

bool PageCache::valid(uint32_t slot) const
{
  const PageClass c = memory_.page_class(slot_page_[slot]);
  return slot_block_[slot] != none && (c == PageClass::CleanCache || c == PageClass::DirtyCache);
}

bool PageCache::cached(uint64_t block) const
{
  return block_slot_[block] != none && valid(block_slot_[block]);
}

void PageCache::unlink(uint32_t s)
{
  (prev_[s] == none ? head_ : next_[prev_[s]]) = next_[s];
  (next_[s] == none ? tail_ : prev_[next_[s]]) = prev_[s];
  prev_[s] = next_[s] = none;
}

void PageCache::push_front(uint32_t s)
{
  next_[s] = head_;
  prev_[s] = none;
  (head_ == none ? tail_ : prev_[head_]) = s;
  head_ = s;
}

void PageCache::push_back(uint32_t s)
{
  prev_[s] = tail_;
  next_[s] = none;
  (tail_ == none ? head_ : next_[tail_]) = s;
  tail_ = s;
}

uint32_t PageCache::take_victim(CacheTraffic& traffic)
{
  const uint32_t s = tail_;
  if (slot_block_[s] != none) {
    if (valid(s) && memory_.page_class(slot_page_[s]) == PageClass::DirtyCache)
      ++traffic.write_backs;
    block_slot_[slot_block_[s]] = none;
    slot_block_[s]              = none;
  }
  unlink(s);
  return s;
}

void PageCache::access(uint64_t first_block, uint64_t blocks, bool write, CacheTraffic& traffic)
{
  if (slot_page_.empty()) {  // no cache at all: every read goes to storage
    (write ? traffic.writes : traffic.misses) += blocks;
    return;
  }
  for (uint64_t b = first_block; b < first_block + blocks && b < block_slot_.size(); ++b) {
    uint32_t s = block_slot_[b];
    if (s != none && !valid(s)) {  // dropped or reused since: forget it, refill this slot first
      block_slot_[b] = none;
      slot_block_[s] = none;
      unlink(s);
      push_back(s);
      s = none;
    }
    if (s == none) {
      s = take_victim(traffic);
      slot_block_[s] = static_cast<uint32_t>(b);
      block_slot_[b] = s;
      const uint64_t page = slot_page_[s];
      memory_.fill(page, write ? PageClass::DirtyCache : PageClass::CleanCache);
      absent_.reset(page);
      if (write) {
        ++traffic.writes;
        dirty_fifo_.push_back(page);
      } else {
        ++traffic.misses;
      }
    } else {
      const uint64_t page = slot_page_[s];
      unlink(s);
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
    push_front(s);
  }
}

bool PageCache::touch(uint64_t block)
{
  if (block >= block_slot_.size())
    return false;
  uint32_t s     = block_slot_[block];
  const bool hit = s != none;
  if (!hit) {
    s = tail_;
    if (slot_block_[s] != none)
      block_slot_[slot_block_[s]] = none;
    slot_block_[s]     = static_cast<uint32_t>(block);
    block_slot_[block] = s;
  }
  unlink(s);
  push_front(s);
  return !hit;
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
