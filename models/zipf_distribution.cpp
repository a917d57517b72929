#include "models/zipf_distribution.hpp"

#include <algorithm>

namespace migsim {

namespace {

/// sum of k^-s for k in [a, a + w).
double interval_weight(uint64_t a, uint64_t w, double s)
{
  auto f = [s](double x) { return std::pow(x, -s); };
  if (w <= 16) {
    double sum = 0;
    for (uint64_t k = a; k < a + w; ++k)
      sum += f(static_cast<double>(k));
    return sum;
  }
  // Euler-Maclaurin over [a, b], b = a + w - 1 >= 116: the integral, the end points, and the f' and
  // f''' terms; the next term is below 1e-15 of the sum there.
  const double x0 = static_cast<double>(a), x1 = static_cast<double>(a + w - 1);
  const double log_ratio = std::log(x1 / x0);
  const double t         = (1 - s) * log_ratio;  // integral of x^-s = x0^(1-s) (e^t - 1) / (1 - s)
  const double integral  = std::pow(x0, 1 - s) * log_ratio * (std::fabs(t) > 1e-8 ? std::expm1(t) / t : 1 + t / 2);
  auto d1 = [s](double x) { return -s * std::pow(x, -s - 1); };
  auto d3 = [s](double x) { return -s * (s + 1) * (s + 2) * std::pow(x, -s - 3); };
  return integral + (f(x0) + f(x1)) / 2 + (d1(x1) - d1(x0)) / 12 - (d3(x1) - d3(x0)) / 720;
}

}  // namespace

ZipfDistribution::ZipfDistribution(uint64_t n, double s) : s_(s)
{
  std::vector<double> weight;
  double total = 0;
  for (uint64_t a = 1; a <= n;) {
    const uint64_t w = std::min(1 + a / 100, n - a + 1);
    weight.push_back(interval_weight(a, w, s));
    total += weight.back();
    intervals_.push_back({a, w, std::pow(static_cast<double>(a) / static_cast<double>(a + w - 1), s), 1, 0});
    a += w;
  }
  // Vose: columns below the mean weight are topped up from columns above it, one at a time.
  const size_t m = intervals_.size();
  std::vector<double> scaled(m);
  std::vector<uint32_t> small, large;
  for (uint32_t i = 0; i < m; ++i) {
    scaled[i] = weight[i] * static_cast<double>(m) / total;
    (scaled[i] < 1 ? small : large).push_back(i);
  }
  while (!small.empty() && !large.empty()) {
    const uint32_t lo = small.back(), hi = large.back();
    small.pop_back();
    intervals_[lo].keep  = scaled[lo];
    intervals_[lo].alias = hi;
    scaled[hi] -= 1 - scaled[lo];
    if (scaled[hi] < 1) {
      large.pop_back();
      small.push_back(hi);
    }
  }
  for (const uint32_t i : small)  // rounding leftovers: their columns are full
    intervals_[i].alias = i;
  for (const uint32_t i : large)
    intervals_[i].alias = i;
}

}  // namespace migsim
