// Zipf-distributed ranks 1..n with exponent s (P(k) ~ k^-s), drawn in O(1) by rejection-inversion
// (Hörmann and Derflinger, "Rejection-inversion to generate variates from monotone discrete
// distributions", ACM TOMACS 6(3), 1996): no table of n probabilities, so a data set of millions of
// blocks costs nothing to set up. Rank 1 is the most popular.
#pragma once

#include "models/random_stream.hpp"

#include <cmath>
#include <cstdint>

namespace migsim {

class ZipfDistribution {
public:
  ZipfDistribution(uint64_t n, double s)
      : n_(static_cast<double>(n)), s_(s)
      , h_integral_x1_(h_integral(1.5) - 1.0)
      , h_integral_n_(h_integral(n_ + 0.5))
      , threshold_(2.0 - h_integral_inverse(h_integral(2.5) - h(2.0)))
  {
  }

  uint64_t operator()(RandomStream& random) const
  {
    while (true) {
      const double u = h_integral_n_ + random.uniform() * (h_integral_x1_ - h_integral_n_);
      const double x = h_integral_inverse(u);
      double k       = std::floor(x + 0.5);
      k              = k < 1 ? 1 : (k > n_ ? n_ : k);
      if (k - x <= threshold_ || u >= h_integral(k + 0.5) - h(k))
        return static_cast<uint64_t>(k);
    }
  }

private:
  double h(double x) const { return std::exp(-s_ * std::log(x)); }
  double h_integral(double x) const
  {
    const double log_x = std::log(x);
    return helper2((1.0 - s_) * log_x) * log_x;
  }
  double h_integral_inverse(double x) const
  {
    double t = x * (1.0 - s_);
    if (t < -1.0)
      t = -1.0;  // numerical safety at the lower end
    return std::exp(helper1(t) * x);
  }
  // log1p(x)/x and expm1(x)/x, with their limits at 0.
  static double helper1(double x) { return std::fabs(x) > 1e-8 ? std::log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x)); }
  static double helper2(double x) { return std::fabs(x) > 1e-8 ? std::expm1(x) / x : 1 + x * 0.5 * (1 + x / 3 * (1 + 0.25 * x)); }

  double n_, s_;
  double h_integral_x1_, h_integral_n_, threshold_;
};

}  // namespace migsim
