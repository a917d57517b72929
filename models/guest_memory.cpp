#include "models/guest_memory.hpp"

#include <cmath>
#include <stdexcept>

namespace migsim {

const char* to_string(PageClass c)
{
  switch (c) {
    case PageClass::Anonymous:
      return "anonymous";
    case PageClass::CleanCache:
      return "clean_cache";
    case PageClass::DirtyCache:
      return "dirty_cache";
    default:
      return "free";
  }
}

GuestMemory::GuestMemory(const MemoryLayout& layout)
    : page_count_(layout.page_count)
    , page_size_(layout.page_size)
    , classes_((layout.page_count + 31) / 32, 0)
    , dirty_(layout.page_count, true)
    , dirty_count_(layout.page_count)
{
  // Rounded down, so that shares summing to at most 1 never ask for more pages than there are.
  auto pages_for = [&](double share) { return static_cast<uint64_t>(std::floor(share * static_cast<double>(page_count_))); };
  const uint64_t dirty_cache = pages_for(layout.dirty_cache_share);
  const uint64_t clean_cache = pages_for(layout.clean_cache_share);
  const uint64_t free_pages  = pages_for(layout.free_share);
  if (dirty_cache + clean_cache + free_pages > page_count_)
    throw std::invalid_argument("page cache and free memory exceed the guest's memory");
  const uint64_t anonymous = page_count_ - dirty_cache - clean_cache - free_pages;
  first_cache_page_        = anonymous;
  counts_[0]               = page_count_;  // all words start at 0 = anonymous
  set_range(anonymous, anonymous + dirty_cache, PageClass::DirtyCache);
  set_range(anonymous + dirty_cache, anonymous + dirty_cache + clean_cache, PageClass::CleanCache);
  set_range(anonymous + dirty_cache + clean_cache, page_count_, PageClass::Free);
}

void GuestMemory::set_range(uint64_t first, uint64_t last, PageClass c)
{
  uint64_t p = first;
  for (; p < last && (p & 31); ++p)
    set_class(p, c);
  const uint64_t whole = 0x5555555555555555ULL * static_cast<uint8_t>(c);
  for (; p + 32 <= last; p += 32) {  // whole words of anonymous pages, as the constructor leaves them
    classes_[p >> 5] = whole;
    counts_[0] -= 32;
    counts_[static_cast<int>(c)] += 32;
  }
  for (; p < last; ++p)
    set_class(p, c);
}

void GuestMemory::set_class(uint64_t page, PageClass c)
{
  uint64_t& word  = classes_[page >> 5];
  const int shift = static_cast<int>(page & 31) * 2;
  --counts_[(word >> shift) & 3u];
  word = (word & ~(uint64_t{3} << shift)) | (uint64_t{static_cast<uint8_t>(c)} << shift);
  ++counts_[static_cast<int>(c)];
}

PageBitmap GuestMemory::pages_of(PageClass c) const
{
  // Word-wise: a page matches when both of its bits equal c's; gather the 32 match bits of a word.
  const uint64_t pattern = 0x5555555555555555ULL * static_cast<uint8_t>(c);
  PageBitmap set(page_count_);
  for (size_t i = 0; i < classes_.size(); ++i) {
    const uint64_t diff = classes_[i] ^ pattern;
    uint64_t x          = ~(diff | (diff >> 1)) & 0x5555555555555555ULL;
    x                   = (x | (x >> 1)) & 0x3333333333333333ULL;
    x                   = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0FULL;
    x                   = (x | (x >> 4)) & 0x00FF00FF00FF00FFULL;
    x                   = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
    x                   = (x | (x >> 16)) & 0x00000000FFFFFFFFULL;
    const uint64_t first = i * 32;
    if (first + 32 > page_count_)  // the padding of the last word is class 0, not a page
      x &= (uint64_t{1} << (page_count_ - first)) - 1;
    set.or_32(first, static_cast<uint32_t>(x));
  }
  return set;
}

void GuestMemory::write(uint64_t page)
{
  if (write_hook_)
    write_hook_(write_hook_context_, page);
  ++writes_;
  mark_dirty(page);
  switch (page_class(page)) {
    case PageClass::CleanCache:
      set_class(page, PageClass::DirtyCache);
      break;
    case PageClass::Free:
      set_class(page, PageClass::Anonymous);
      break;
    default:
      break;
  }
}

void GuestMemory::mark_dirty(uint64_t page)
{
  if (!dirty_.test(page)) {
    dirty_.set(page);
    ++dirty_count_;
  }
}

void GuestMemory::drop(uint64_t page)
{
  set_class(page, PageClass::Free);
}

void GuestMemory::fill(uint64_t page, PageClass c)
{
  mark_dirty(page);  // the content changed: a later round must send it
  set_class(page, c);
}

void GuestMemory::mark_written_back(uint64_t page)
{
  if (page_class(page) == PageClass::DirtyCache)
    set_class(page, PageClass::CleanCache);
}

}  // namespace migsim
