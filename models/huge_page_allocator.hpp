// An allocator for large arrays read or written at random (the page cache's index and frames, the
// warm-up's candidates): 2 MiB boundaries and transparent huge pages.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace migsim {

/// Allocates arrays of 2 MiB and more on 2 MiB boundaries and asks the kernel for transparent huge
/// pages there (madvise; a no-op where THP is off or unsupported). The LRU's arrays are read at random
/// (tens of MiB for a large data set): with 4 KiB pages nearly every access also misses the TLB.
template <class T> struct HugePageAllocator {
  using value_type = T;
  static constexpr std::size_t huge = std::size_t{2} << 20;
  HugePageAllocator() = default;
  template <class U> HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(std::size_t n)
  {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < huge)
      return static_cast<T*>(::operator new(bytes));
    void* p = std::aligned_alloc(huge, (bytes + huge - 1) / huge * huge);
    if (!p)
      throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    ::madvise(p, (bytes + huge - 1) / huge * huge, MADV_HUGEPAGE);
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n)
  {
    if (n * sizeof(T) < huge)
      ::operator delete(p);
    else
      std::free(p);
  }
  template <class U> bool operator==(const HugePageAllocator<U>&) const { return true; }
  template <class U> bool operator!=(const HugePageAllocator<U>&) const { return false; }
};

}  // namespace migsim
