// Zipf-distributed ranks 1..n with exponent s (P(k) ~ k^-s; s = 0 is uniform), drawn in O(1) from a
// table of about 100 ln(n / 100) rank intervals, set up without a table of n probabilities:
//   - the ranks are cut into intervals [a, a + w) with w = 1 + floor(a / 100), so that within one the
//     probabilities differ by at most 1 % (the first 100 ranks are intervals of their own);
//   - an interval is chosen by inversion of the intervals' cumulative weights, started from a guide
//     table (Chen and Asau 1974) so that it takes one or two comparisons;
//   - a rank is drawn uniformly in the interval and accepted with probability (a / k)^s, which is above
//     0.99^s: the power is computed only when the uniform lands above that bound (about 1 % of draws).
// Every rank's probability is exact up to floating-point rounding of the interval weights (sums of
// k^-s, computed by the Euler-Maclaurin formula for wide intervals). About 10 ns per draw, against
// about 65 ns for the rejection-inversion of Hörmann and Derflinger (1996) it replaces, which needed
// up to six logarithms and exponentials per draw.
#pragma once

#include "models/random_stream.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

namespace migsim {

class ZipfDistribution {
public:
  ZipfDistribution(uint64_t n, double s);

  uint64_t operator()(RandomStream& random) const
  {
    const double u = random.uniform();
    size_t i       = guide_[static_cast<size_t>(u * static_cast<double>(guide_.size()))];
    const double x = u * cumulative_.back();
    while (i > 0 && cumulative_[i - 1] > x)  // u * size rounded up to the next cell
      --i;
    while (i + 1 < cumulative_.size() && cumulative_[i] <= x)
      ++i;
    const Interval& in = intervals_[i];
    while (true) {
      const uint64_t k = in.first + random.below(in.width);
      if (k == in.first)
        return k;
      const double v = random.uniform();
      if (v < in.accept_always || v < std::pow(static_cast<double>(in.first) / static_cast<double>(k), s_))
        return k;
    }
  }

private:
  struct Interval {
    uint64_t first;        ///< its first rank a
    uint64_t width;        ///< its number of ranks w
    double accept_always;  ///< (a / (a + w - 1))^s, the lowest acceptance probability in it
  };

  double s_;
  std::vector<Interval> intervals_;
  std::vector<double> cumulative_;  ///< cumulative_[i]: the weight of intervals 0..i
  std::vector<uint32_t> guide_;     ///< guide_[j]: the first interval whose cumulative weight exceeds j / size
};

}  // namespace migsim
