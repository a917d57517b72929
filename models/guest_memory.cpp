#include "guest_memory.hpp"

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
  auto pages_for = [&](double share) { return static_cast<uint64_t>(std::llround(share * page_count_)); };
  const uint64_t dirty_cache = pages_for(layout.dirty_cache_share);
  const uint64_t clean_cache = pages_for(layout.clean_cache_share);
  const uint64_t free_pages  = pages_for(layout.free_share);
  if (dirty_cache + clean_cache + free_pages > page_count_)
    throw std::invalid_argument("page cache and free memory exceed the guest's memory");
  const uint64_t anonymous = page_count_ - dirty_cache - clean_cache - free_pages;
  counts_[0]               = page_count_;  // all words start at 0 = anonymous
  uint64_t p               = anonymous;
  for (uint64_t end = p + dirty_cache; p < end; ++p)
    set_class(p, PageClass::DirtyCache);
  for (uint64_t end = p + clean_cache; p < end; ++p)
    set_class(p, PageClass::CleanCache);
  for (; p < page_count_; ++p)
    set_class(p, PageClass::Free);
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
  PageBitmap set(page_count_);
  for (uint64_t p = 0; p < page_count_; ++p)
    if (page_class(p) == c)
      set.set(p);
  return set;
}

void GuestMemory::write(uint64_t page)
{
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
