// The guest's memory as pages in four classes, plus the dirty log that pre-copy reads.
//
// Classes: anonymous (process memory), clean page cache (equal to its disk block, so restorable from
// storage), dirty page cache (written, not yet written back) and free (zero: a full page on the wire unless
// the policy detects zero pages or is told of free ones).
// Initial layout, in page order: anonymous, dirty cache, clean cache, free; a hot set therefore lies in
// anonymous memory, as a process heap does. Page i of the cache holds disk block i - first_cache_page.
// A guest write marks the page dirty and turns clean cache into dirty cache and free into anonymous.
// The dirty log follows QEMU: every page starts dirty (never sent); take_dirty() is the per-round sync.
#pragma once

#include "models/page_bitmap.hpp"

#include <array>
#include <cstdint>

namespace migsim {

enum class PageClass : uint8_t { Anonymous = 0, CleanCache = 1, DirtyCache = 2, Free = 3 };
constexpr int page_class_count = 4;
const char* to_string(PageClass c);

struct MemoryLayout {
  uint64_t page_count      = 0;
  uint64_t page_size       = 4096;
  double clean_cache_share = 0;  ///< fraction of pages that are clean page cache
  double dirty_cache_share = 0;  ///< fraction of pages that are dirty page cache
  double free_share        = 0;  ///< fraction of pages that are free (zero)
};

class GuestMemory {
public:
  explicit GuestMemory(const MemoryLayout& layout);

  uint64_t page_count() const { return page_count_; }
  uint64_t page_size() const { return page_size_; }
  uint64_t bytes() const { return page_count_ * page_size_; }
  /// The first page of the page cache as laid out at start (dirty cache, then clean cache, from there).
  uint64_t first_cache_page() const { return first_cache_page_; }

  PageClass page_class(uint64_t page) const
  {
    return static_cast<PageClass>((classes_[page >> 5] >> ((page & 31) * 2)) & 3u);
  }
  uint64_t count(PageClass c) const { return counts_[static_cast<int>(c)]; }
  /// The set of pages of one class, built on demand (one pass over memory).
  PageBitmap pages_of(PageClass c) const;

  /// A guest write to `page`.
  void write(uint64_t page);
  /// Calls hook(context, page) before every guest write (post-copy watches for pages not yet
  /// arrived); nullptr removes it. A plain function pointer keeps the common case a null test.
  void set_write_hook(void (*hook)(void*, uint64_t), void* context)
  {
    write_hook_         = hook;
    write_hook_context_ = context;
  }
  /// The guest frees (drops) a page-cache page: it becomes free memory.
  void drop(uint64_t page);
  /// New content in `page` that is page cache of class `c` (a block read in, or written whole).
  void fill(uint64_t page, PageClass c);
  /// Dirty cache written back to disk: clean again. The page content does not change, so the dirty
  /// log is untouched.
  void mark_written_back(uint64_t page);

  /// Pages written since they were last taken (all pages at start).
  const PageBitmap& dirty() const { return dirty_; }
  uint64_t dirty_count() const { return dirty_count_; }
  /// Clears the dirty bit of `pages`: they are being transferred now (the per-round bitmap sync).
  /// Several sets at once (a plan's drop, LAN and SAN pages) without building their union.
  template <class... More> void take_dirty(const PageBitmap& pages, const More&... more)
  {
    dirty_.subtract(pages);
    (dirty_.subtract(more), ...);
    dirty_count_ = dirty_.count();
  }
  /// Marks `pages` dirty again without a write: taken for a round that ended before sending them.
  void keep_dirty(const PageBitmap& pages)
  {
    dirty_ |= pages;
    dirty_count_ = dirty_.count();
  }
  uint64_t writes() const { return writes_; }

private:
  void set_class(uint64_t page, PageClass c);
  /// Pages [first, last), all anonymous so far, become class c (construction only).
  void set_range(uint64_t first, uint64_t last, PageClass c);
  void mark_dirty(uint64_t page);

  uint64_t page_count_;
  uint64_t page_size_;
  uint64_t first_cache_page_ = 0;
  std::vector<uint64_t> classes_;  // 2 bits per page, 32 pages per word
  std::array<uint64_t, page_class_count> counts_{};
  PageBitmap dirty_;
  uint64_t dirty_count_;
  uint64_t writes_ = 0;
  void (*write_hook_)(void*, uint64_t) = nullptr;
  void* write_hook_context_            = nullptr;
};

}  // namespace migsim
