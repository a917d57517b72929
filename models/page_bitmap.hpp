// A fixed-size set of page numbers, one bit per page: 32 MiB describe a 1 TiB guest of 4 KiB pages.
// Word-wise set algebra keeps whole-memory passes (a round plan, a dirty sync) at memory speed.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace migsim {

namespace detail {
// Counting set bits over whole bitmaps: with the POPCNT instruction where the CPU has it (any x86-64
// since about 2008), chosen at run time, so that the binary still runs on any x86-64. Without
// -mpopcnt, __builtin_popcountll is a call into libgcc's table-based version.
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("popcnt"))) inline uint64_t count_bits_popcnt(const uint64_t* w, std::size_t n)
{
  uint64_t c = 0;
  for (std::size_t i = 0; i < n; ++i)
    c += static_cast<uint64_t>(__builtin_popcountll(w[i]));
  return c;
}
inline bool cpu_has_popcnt()
{
  static const bool yes = __builtin_cpu_supports("popcnt");
  return yes;
}
#endif
inline uint64_t count_bits(const uint64_t* w, std::size_t n)
{
#if defined(__x86_64__) && defined(__GNUC__)
  if (cpu_has_popcnt())
    return count_bits_popcnt(w, n);
#endif
  uint64_t c = 0;
  for (std::size_t i = 0; i < n; ++i)
    c += static_cast<uint64_t>(__builtin_popcountll(w[i]));
  return c;
}
}  // namespace detail

// Storage is allocated at the first write: an empty set (a plan's unused SAN or drop set, a temporary
// that stays empty) costs no memory, which keeps a 1 TiB guest's peak RSS to the bitmaps in use. Every
// read and every set operation treats missing storage as all zeros.
class PageBitmap {
public:
  PageBitmap() = default;
  explicit PageBitmap(uint64_t pages, bool value = false) : size_(pages)
  {
    if (value) {
      words_.assign(word_count(), ~uint64_t{0});
      trim();
    }
  }

  uint64_t size() const { return size_; }
  bool test(uint64_t page) const { return !words_.empty() && ((words_[page >> 6] >> (page & 63)) & 1u); }
  void set(uint64_t page) { storage()[page >> 6] |= uint64_t{1} << (page & 63); }
  void reset(uint64_t page)
  {
    if (!words_.empty())
      words_[page >> 6] &= ~(uint64_t{1} << (page & 63));
  }

  /// Sets pages [first, last).
  void set_range(uint64_t first, uint64_t last)
  {
    if (first >= last)
      return;
    uint64_t* w = storage();
    for (uint64_t p = first; p < last && (p & 63); ++p)
      w[p >> 6] |= uint64_t{1} << (p & 63);
    uint64_t p = (first + 63) & ~uint64_t{63};
    for (; p + 64 <= last; p += 64)
      w[p >> 6] = ~uint64_t{0};
    for (; p < last; ++p)
      w[p >> 6] |= uint64_t{1} << (p & 63);
  }

  uint64_t count() const { return detail::count_bits(words_.data(), words_.size()); }
  bool none() const
  {
    for (uint64_t w : words_)
      if (w)
        return false;
    return true;
  }

  PageBitmap& operator|=(const PageBitmap& o)
  {
    if (o.words_.empty())
      return *this;
    if (words_.empty()) {
      words_ = o.words_;
      return *this;
    }
    for (std::size_t i = 0; i < words_.size(); ++i)
      words_[i] |= o.words_[i];
    return *this;
  }
  PageBitmap& operator&=(const PageBitmap& o)
  {
    if (o.words_.empty()) {
      std::vector<uint64_t>().swap(words_);  // the empty set: release the storage
      return *this;
    }
    for (std::size_t i = 0; i < words_.size(); ++i)
      words_[i] &= o.words_[i];
    return *this;
  }
  /// Removes every page of `o` from this set.
  PageBitmap& subtract(const PageBitmap& o)
  {
    if (o.words_.empty())
      return *this;
    for (std::size_t i = 0; i < words_.size(); ++i)
      words_[i] &= ~o.words_[i];
    return *this;
  }
  friend PageBitmap operator&(PageBitmap a, const PageBitmap& b) { return a &= b; }
  friend PageBitmap operator|(PageBitmap a, const PageBitmap& b) { return a |= b; }
  friend PageBitmap minus(PageBitmap a, const PageBitmap& b) { return a.subtract(b); }
  /// Set equality: a set without storage equals an allocated all-zero one.
  bool operator==(const PageBitmap& o) const
  {
    if (size_ != o.size_)
      return false;
    if (words_.empty() || o.words_.empty())
      return none() && o.none();
    return words_ == o.words_;
  }

  /// Calls f(page) for every page in the set, in increasing order.
  template <class F> void for_each(F&& f) const
  {
    for (std::size_t i = 0; i < words_.size(); ++i)
      for (uint64_t w = words_[i]; w; w &= w - 1)
        f(i * 64 + static_cast<uint64_t>(__builtin_ctzll(w)));
  }

  /// The first page of the set at or after `page`, or size() if there is none (skips empty words).
  uint64_t next(uint64_t page) const
  {
    if (page >= size_ || words_.empty())
      return size_;
    std::size_t i = page >> 6;
    uint64_t w    = words_[i] & (~uint64_t{0} << (page & 63));
    while (!w && ++i < words_.size())
      w = words_[i];
    return w ? std::min<uint64_t>(size_, i * 64 + static_cast<uint64_t>(__builtin_ctzll(w))) : size_;
  }

  /// ORs 32 pages at once: bit i of `bits` is page first + i; `first` must be a multiple of 32.
  void or_32(uint64_t first, uint32_t bits)
  {
    if (bits)
      storage()[first >> 6] |= uint64_t{bits} << (first & 32);
  }

  /// Keeps only the first `n` pages of the set (in page order); used to split a set between two paths.
  void keep_first(uint64_t n)
  {
    for (std::size_t i = 0; i < words_.size(); ++i) {
      auto c = detail::count_bits(&words_[i], 1);
      if (c <= n) {
        n -= c;
        continue;
      }
      uint64_t w = words_[i];
      for (uint64_t k = 0; k < n; ++k)
        w &= w - 1;  // drop the n lowest set bits from the copy...
      words_[i] &= ~w;  // ...and clear what is left above them
      n = 0;
    }
  }

private:
  std::size_t word_count() const { return static_cast<std::size_t>((size_ + 63) / 64); }
  uint64_t* storage()
  {
    if (words_.empty())
      words_.assign(word_count(), 0);
    return words_.data();
  }
  void trim()
  {
    if (size_ & 63)
      words_.back() &= (uint64_t{1} << (size_ & 63)) - 1;
  }
  uint64_t size_ = 0;
  std::vector<uint64_t> words_;  // empty, or word_count() words
};

}  // namespace migsim
