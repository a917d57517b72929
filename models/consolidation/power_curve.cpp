#include "models/consolidation/power_curve.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace migsim {

PowerCurve::PowerCurve(const std::array<double, points>& watts) : watts_(watts)
{
  for (int i = 0; i < points; ++i) {
    if (!std::isfinite(watts_[i]) || watts_[i] < 0)
      throw std::invalid_argument("a power curve's watts must be finite and non-negative");
    if (i > 0 && watts_[i] < watts_[i - 1])
      throw std::invalid_argument("a power curve must not fall as utilisation rises");
  }
}

double PowerCurve::watts(double utilisation) const
{
  const double u = std::clamp(std::isnan(utilisation) ? 0.0 : utilisation, 0.0, 1.0);
  const double position = u * (points - 1);
  const int below       = std::min(static_cast<int>(position), points - 2);
  const double share    = position - below;
  return watts_[below] + share * (watts_[below + 1] - watts_[below]);
}

}  // namespace migsim
