#include "models/lru_steady_state.hpp"

#include "models/huge_page_allocator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace migsim {

namespace {

/// (record + 1)^-s, as exp and log: several times cheaper than std::pow, and as deterministic.
double weight(uint64_t record, double s) { return s == 0 ? 1.0 : std::exp(-s * std::log(static_cast<double>(record + 1))); }

/// Calls f(first, end) for consecutive record ranges over which the rank k + 1 grows by at most 1 %
/// (the weight by a factor of at most 1.01^s).
template <class F> void for_each_segment(uint64_t records, F f)
{
  for (uint64_t first = 0; first < records;) {
    const uint64_t end = std::min(records, first + 1 + (first + 1) / 100);
    f(first, end);
    first = end;
  }
}

struct Candidate {
  double age;
  uint32_t record;
  uint32_t bucket = 0;  ///< by_age's, in what would be padding
};
using Candidates = std::vector<Candidate, HugePageAllocator<Candidate>>;

/// Appends the records not `taken` whose age, known to be at least `from`, is below `to`: given
/// that, the age is from + E / w with E ~ Exp(1), so it is below `to` when E < w (to - from).
void draw_candidates(uint64_t records, double s, double from, double to, const std::vector<bool>* taken,
                     RandomStream& random, Candidates& out)
{
  const double window = to - from;  // infinite: every record
  for_each_segment(records, [&](uint64_t first, uint64_t end) {
    // E = -log(u) for a uniform u in (0, 1]. Within the segment w lies between w(end - 1) and
    // w(first), so u alone decides, without a logarithm, unless it falls between these bounds.
    const double surely_out = std::exp(-weight(first, s) * window);
    const double surely_in  = std::exp(-weight(end - 1, s) * window);
    for (uint64_t k = first; k < end; ++k) {
      if (taken && (*taken)[k])
        continue;
      const double u = 1.0 - random.uniform();
      if (u <= surely_out)
        continue;
      const double w = weight(k, s);
      const double e = -std::log(u);
      if (u > surely_in || e < w * window)
        out.push_back({from + e / w, static_cast<uint32_t>(k), 0});
    }
  });
}

/// The window in which Che's approximation expects `target` distinct records (target < records).
double window_for(uint64_t records, double s, double target)
{
  double high = 1;
  while (che_expected_records(records, s, high) < target)
    high *= 2;
  double low = 0;
  for (int i = 0; i < 50; ++i) {
    const double mid = (low + high) / 2;
    (che_expected_records(records, s, mid) < target ? low : high) = mid;
  }
  return high;
}

/// The `count` candidates of lowest age, by increasing age (ties by record). The ages are spread over
/// [0, oldest] with a density that varies by a few times at most, so n equal buckets hold about one
/// each: a radix sort by bucket (11 bits a pass, sequential enough to stay in the CPU caches) and one
/// insertion sort pass within buckets.
std::vector<uint32_t> by_age(Candidates& candidates, size_t count)
{
  const size_t n = candidates.size();
  double oldest  = 0;
  for (const Candidate& c : candidates)
    oldest = std::max(oldest, c.age);
  const double scale = static_cast<double>(n) / oldest;
  for (Candidate& c : candidates)
    c.bucket = static_cast<uint32_t>(std::min(static_cast<double>(n - 1), c.age * scale));
  constexpr int bits = 11;
  constexpr uint32_t digits = 1u << bits;
  Candidates next(n);
  for (int shift = 0; (n - 1) >> shift; shift += bits) {
    std::vector<uint32_t> start(digits + 1, 0);
    for (const Candidate& c : candidates)
      ++start[((c.bucket >> shift) & (digits - 1)) + 1];
    for (uint32_t d = 0; d < digits; ++d)
      start[d + 1] += start[d];
    for (const Candidate& c : candidates)
      next[start[(c.bucket >> shift) & (digits - 1)]++] = c;
    candidates.swap(next);
  }
  auto before = [](const Candidate& x, const Candidate& y) { return x.age < y.age || (x.age == y.age && x.record < y.record); };
  for (size_t i = 1; i < n; ++i)
    for (size_t j = i; j > 0 && before(candidates[j], candidates[j - 1]); --j)
      std::swap(candidates[j], candidates[j - 1]);
  std::vector<uint32_t> records(std::min(count, n));
  for (size_t i = 0; i < records.size(); ++i)
    records[i] = candidates[i].record;
  return records;
}

}  // namespace

double che_expected_records(uint64_t records, double s, double window)
{
  double sum = 0;
  for_each_segment(records, [&](uint64_t first, uint64_t end) {
    const double middle = (static_cast<double>(first) + static_cast<double>(end - 1)) / 2 + 1;
    sum -= static_cast<double>(end - first) * std::expm1(-std::pow(middle, -s) * window);
  });
  return sum;
}

std::vector<uint32_t> most_recent_records(uint64_t records, double s, uint64_t count, RandomStream& random)
{
  // Aim at 1 % and 10 standard deviations more records than wanted.
  const double wanted = static_cast<double>(std::min(count, records));
  const double target = wanted * 1.01 + 10 * std::sqrt(wanted);
  return most_recent_records(records, s, count,
                             target < static_cast<double>(records) ? window_for(records, s, target)
                                                                    : std::numeric_limits<double>::infinity(),
                             random);
}

std::vector<uint32_t> most_recent_records(uint64_t records, double s, uint64_t count, double window,
                                          RandomStream& random)
{
  const uint64_t wanted = std::min(count, records);
  if (wanted == 0)
    return {};
  Candidates candidates;
  candidates.reserve(wanted + wanted / 64 + 1024);
  draw_candidates(records, s, 0, window, nullptr, random, candidates);
  while (candidates.size() < wanted) {
    std::vector<bool> taken(records);
    for (const Candidate& c : candidates)
      taken[c.record] = true;
    draw_candidates(records, s, window, 2 * window, &taken, random, candidates);
    window *= 2;
  }
  return by_age(candidates, wanted);
}

}  // namespace migsim
