// Zipf-distributed ranks 1..n with exponent s (P(k) ~ k^-s; s = 0 is uniform), drawn in O(1) from a
// table of about 100 ln(n / 100) rank intervals, set up without a table of n probabilities:
//   - the ranks are cut into intervals [a, a + w) with w = 1 + floor(a / 100), so that within one the
//     ranks differ by at most 1 % (the first 100 ranks are intervals of their own);
//   - an interval is chosen with Walker's alias method (Vose's construction) on the intervals' weights;
//   - a rank is drawn uniformly in the interval and accepted with probability (a / k)^s, which is above
//     0.99^s: the power is computed only when the uniform lands above that bound (about s % of draws).
// Every rank's probability is exact up to floating-point rounding of the interval weights (sums of
// k^-s, computed by the Euler-Maclaurin formula for wide intervals). About 16 ns per draw on this
// project's 2-core machine, against about 65 ns for the rejection-inversion of Hörmann and Derflinger
// (1996) it replaces, which needed up to six logarithms and exponentials per draw.
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
    const Interval* in = &intervals_[random.below(intervals_.size())];
    if (random.uniform() >= in->keep)
      in = &intervals_[in->alias];
    while (true) {
      const uint64_t k = in->first + random.below(in->width);
      if (k == in->first)
        return k;
      const double v = random.uniform();
      if (v < in->accept_always || v < std::pow(static_cast<double>(in->first) / static_cast<double>(k), s_))
        return k;
    }
  }

private:
  struct Interval {
    uint64_t first;        ///< its first rank a
    uint64_t width;        ///< its number of ranks w
    double accept_always;  ///< (a / (a + w - 1))^s, the lowest acceptance probability in it
    double keep;           ///< alias method: the probability of keeping this column
    uint32_t alias;        ///< and the interval chosen otherwise
  };

  double s_;
  std::vector<Interval> intervals_;
};

}  // namespace migsim
