// A host's power draw as a function of its CPU utilisation, from a SPECpower_ssj2008 result: the
// average active power at 0 % (active idle), 10 %, ..., 100 % of the target load, linearly interpolated
// in between. Utilisation outside [0, 1] is clamped: a host asked for more than its capacity runs at
// 100 % and draws its full-load power. A host switched off draws nothing; that is the caller's state,
// not the curve's.
#pragma once

#include <array>

namespace migsim {

class PowerCurve {
public:
  static constexpr int points = 11;  ///< 0 %, 10 %, ..., 100 %

  PowerCurve() = default;
  /// `watts[i]`: power at utilisation i / 10. Throws std::invalid_argument unless every value is
  /// finite, non-negative and the curve never falls as load rises.
  explicit PowerCurve(const std::array<double, points>& watts);

  /// Power in watts at `utilisation` (a fraction of the host's CPU capacity).
  double watts(double utilisation) const;
  double idle_watts() const { return watts_[0]; }
  double max_watts() const { return watts_[points - 1]; }

private:
  std::array<double, points> watts_{};
};

}  // namespace migsim
