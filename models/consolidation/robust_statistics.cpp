#include "models/consolidation/robust_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace migsim {

namespace {

void require_values(const std::vector<double>& values, size_t at_least)
{
  if (values.size() < at_least)
    throw std::invalid_argument("needs at least " + std::to_string(at_least) + " values, got " +
                                std::to_string(values.size()));
}

/// Median of a sorted, non-empty range [first, last).
double sorted_median(std::vector<double>::const_iterator first, std::vector<double>::const_iterator last)
{
  const auto n = last - first;
  return n % 2 ? first[n / 2] : (first[n / 2 - 1] + first[n / 2]) / 2;
}

LineFit weighted_line(const std::vector<double>& y, const std::vector<double>& w)
{
  double sw = 0, sx = 0, sy = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    const double x = static_cast<double>(i + 1);
    sw += w[i];
    sx += w[i] * x;
    sy += w[i] * y[i];
  }
  if (sw <= 0)
    return {y.back(), 0};
  const double mx = sx / sw, my = sy / sw;
  double sxx = 0, sxy = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    const double dx = static_cast<double>(i + 1) - mx;
    sxx += w[i] * dx * dx;
    sxy += w[i] * dx * (y[i] - my);
  }
  if (sxx <= 0)  // all weight on one point: a flat line through it
    return {my, 0};
  const double slope = sxy / sxx;
  return {my - slope * mx, slope};
}

std::vector<double> tricube_weights(size_t n)
{
  std::vector<double> w(n);
  for (size_t i = 0; i < n; ++i) {
    const double u = static_cast<double>(n - 1 - i) / static_cast<double>(n - 1);
    const double t = 1 - u * u * u;
    w[i]           = t * t * t;
  }
  return w;
}

}  // namespace

double median(std::vector<double> values)
{
  require_values(values, 1);
  std::sort(values.begin(), values.end());
  return sorted_median(values.begin(), values.end());
}

double interquartile_range(std::vector<double> values)
{
  require_values(values, 1);
  if (values.size() == 1)
    return 0;
  std::sort(values.begin(), values.end());
  const size_t half = values.size() / 2;  // the middle value of an odd count belongs to neither half
  const double q1   = sorted_median(values.begin(), values.begin() + static_cast<long>(half));
  const double q3   = sorted_median(values.end() - static_cast<long>(half), values.end());
  return q3 - q1;
}

double median_absolute_deviation(const std::vector<double>& values)
{
  const double m = median(values);
  std::vector<double> deviations(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    deviations[i] = std::abs(values[i] - m);
  return median(std::move(deviations));
}

LineFit local_regression(const std::vector<double>& values)
{
  require_values(values, 3);
  return weighted_line(values, tricube_weights(values.size()));
}

LineFit robust_local_regression(const std::vector<double>& values, int iterations)
{
  require_values(values, 3);
  const std::vector<double> tricube = tricube_weights(values.size());
  LineFit fit                       = weighted_line(values, tricube);
  for (int k = 0; k < iterations; ++k) {
    std::vector<double> residuals(values.size());
    for (size_t i = 0; i < values.size(); ++i)
      residuals[i] = std::abs(values[i] - fit.at(static_cast<double>(i + 1)));
    const double s = median(residuals);
    if (s <= 0)  // at least half the points lie on the line: nothing to down-weight
      break;
    std::vector<double> w(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
      const double r = residuals[i] / (6 * s);
      w[i]           = r < 1 ? tricube[i] * (1 - r * r) * (1 - r * r) : 0;
    }
    fit = weighted_line(values, w);
  }
  return fit;
}

}  // namespace migsim
