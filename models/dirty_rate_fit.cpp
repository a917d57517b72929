#include "models/dirty_rate_fit.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace migsim {

namespace {

// The shortest window holding this share of N means r can no longer be told from infinity.
const double saturated_x = std::log(1000.0);  // 1 - exp(-x) = 0.999

/// Parameters are (ln N, ln r): positive by construction, and steps are relative.
using Params = Eigen::Vector2d;
using Free   = std::array<bool, 2>;

double sum_of_squares(const std::vector<DirtyWindow>& windows, const Params& p)
{
  const double n = std::exp(p(0)), r = std::exp(p(1));
  double sum = 0;
  for (const auto& w : windows) {
    const double e = saturation_pages(n, r, w.seconds) - w.pages;
    sum += e * e;
  }
  return std::isfinite(sum) ? sum : std::numeric_limits<double>::infinity();
}

/// Levenberg-Marquardt on the free parameters of `p` (a fixed one keeps its value).
Params levenberg_marquardt(const std::vector<DirtyWindow>& windows, Params p, Free free)
{
  const Eigen::Index count = static_cast<Eigen::Index>(windows.size());
  double cost   = sum_of_squares(windows, p);
  double lambda = 1e-3;
  for (int iteration = 0; iteration < 500 && cost > 0; ++iteration) {
    Eigen::MatrixX2d jacobian(count, 2);
    Eigen::VectorXd residual(count);
    const double n = std::exp(p(0)), r = std::exp(p(1));
    for (Eigen::Index i = 0; i < count; ++i) {
      const double x = r * windows[i].seconds / n, e = std::exp(-x);
      residual(i)    = n * (1 - e) - windows[i].pages;
      jacobian(i, 0) = free[0] ? n * ((1 - e) - x * e) : 0;  // d/d(ln N)
      jacobian(i, 1) = free[1] ? n * x * e : 0;              // d/d(ln r)
    }
    const Eigen::Matrix2d normal = jacobian.transpose() * jacobian;
    const Eigen::Vector2d gradient = jacobian.transpose() * residual;
    // Damping scaled by the curvature (Marquardt), with a floor: in saturation d/d(ln r) vanishes.
    const double floor = 1e-12 * std::max(1.0, normal.diagonal().maxCoeff());
    bool improved      = false;
    double trial_cost  = cost;
    for (; lambda < 1e15; lambda *= 10) {
      Eigen::Matrix2d damped = normal;
      for (int k = 0; k < 2; ++k) {
        damped(k, k) += lambda * std::max(normal(k, k), floor);
        if (!free[k]) {
          damped.row(k).setZero();
          damped.col(k).setZero();
          damped(k, k) = 1;
        }
      }
      Eigen::Vector2d step = -damped.ldlt().solve(gradient);
      if (step.norm() > 5)  // at most a factor e^5 per step: keeps exp() finite
        step *= 5 / step.norm();
      trial_cost = sum_of_squares(windows, p + step);
      if (trial_cost < cost) {
        p += step;
        lambda = std::max(lambda * 0.3, 1e-12);
        improved = true;
        break;
      }
    }
    if (!improved)
      break;
    const double gain = cost - trial_cost;
    cost              = trial_cost;
    if (gain <= 1e-15 * (cost + gain))
      break;
  }
  return p;
}

void check_input(const std::vector<DirtyWindow>& windows, double memory_pages, std::optional<double> known_rate)
{
  if (!(memory_pages > 0) || !std::isfinite(memory_pages))
    throw std::invalid_argument("memory must be a positive number of pages");
  if (known_rate && !(*known_rate >= 0 && std::isfinite(*known_rate)))
    throw std::invalid_argument("a known write rate must be zero or positive");
  for (const auto& w : windows)
    if (!(w.seconds > 0) || !std::isfinite(w.seconds) || !(w.pages >= 0) || w.pages > memory_pages)
      throw std::invalid_argument("a window needs seconds > 0 and 0 <= pages <= memory");
  if (windows.empty() && !known_rate)
    throw std::invalid_argument("nothing to fit: no window and no known write rate");
}

}  // namespace

double saturation_pages(double working_set_pages, double rate_pages_per_s, double seconds)
{
  if (working_set_pages <= 0 || rate_pages_per_s <= 0)
    return 0;
  return working_set_pages * -std::expm1(-rate_pages_per_s * seconds / working_set_pages);
}

std::string to_string(DirtyRateFit::Kind kind)
{
  switch (kind) {
    case DirtyRateFit::Kind::Fitted:
      return "fitted";
    case DirtyRateFit::Kind::Saturated:
      return "saturated";
    case DirtyRateFit::Kind::RateOnly:
      return "rate only";
    case DirtyRateFit::Kind::Given:
      return "given";
    case DirtyRateFit::Kind::Idle:
      return "idle";
  }
  return "?";
}

DirtyRateFit fit_dirty_rate(const std::vector<DirtyWindow>& windows, double memory_pages,
                            std::optional<double> known_rate)
{
  check_input(windows, memory_pages, known_rate);
  DirtyRateFit fit;
  fit.windows    = windows.size();
  fit.rate_given = known_rate.has_value();
  double max_pages = 0, mean_pages = 0, shortest = std::numeric_limits<double>::infinity(), slope = 0;
  for (const auto& w : windows) {
    max_pages = std::max(max_pages, w.pages);
    mean_pages += w.pages / static_cast<double>(windows.size());
    shortest = std::min(shortest, w.seconds);
    slope    = std::max(slope, w.pages / w.seconds);  // d(t)/t <= r: a lower bound of r
  }

  if ((known_rate && *known_rate == 0) || (!windows.empty() && max_pages == 0)) {
    fit.kind = DirtyRateFit::Kind::Idle;
  } else if (windows.empty()) {
    fit.kind                   = DirtyRateFit::Kind::Given;
    fit.working_set_pages      = memory_pages;
    fit.write_rate_pages_per_s = *known_rate;
    fit.working_set_at_memory  = true;
  } else if (windows.size() == 1 && !known_rate) {
    // One equation, two unknowns: take the whole memory as the working set and solve for r.
    fit.kind                  = DirtyRateFit::Kind::RateOnly;
    fit.working_set_pages     = memory_pages;
    fit.working_set_at_memory = true;
    double x = -std::log1p(-windows[0].pages / memory_pages);
    if (!(x <= saturated_x)) {  // all of memory dirty: r only bounded below
      fit.kind = DirtyRateFit::Kind::Saturated;
      x        = saturated_x;
    }
    fit.write_rate_pages_per_s = memory_pages * x / windows[0].seconds;
  } else {
    const double rate = known_rate ? *known_rate : slope;
    const Free free{true, !known_rate};
    Params best;
    double best_cost = std::numeric_limits<double>::infinity();
    // Several starting working sets, from just above the largest count to the whole memory: the
    // cost has a flat valley along the saturated branch, and one start can stall in it.
    for (double factor : {1.05, 2.0, 10.0, 1e9}) {
      const double start_n = std::min(memory_pages, std::max(1.0, factor * max_pages));
      const Params p       = levenberg_marquardt(windows, Params(std::log(start_n), std::log(rate)), free);
      const double c       = sum_of_squares(windows, p);
      if (c < best_cost) {
        best_cost = c;
        best      = p;
      }
    }
    if (std::exp(best(0)) >= memory_pages * (1 - 1e-6)) {  // the bound: refit r with N = memory
      fit.working_set_at_memory = true;
      best = levenberg_marquardt(windows, Params(std::log(memory_pages), best(1)), Free{false, !known_rate});
    }
    fit.kind                   = DirtyRateFit::Kind::Fitted;
    fit.working_set_pages      = fit.working_set_at_memory ? memory_pages : std::exp(best(0));
    fit.write_rate_pages_per_s = std::exp(best(1));
    if (!known_rate && fit.write_rate_pages_per_s * shortest / fit.working_set_pages > saturated_x) {
      fit.kind                   = DirtyRateFit::Kind::Saturated;
      fit.write_rate_pages_per_s = fit.working_set_pages * saturated_x / shortest;
    }
  }

  double sum = 0;
  for (const auto& w : windows) {
    const double e = saturation_pages(fit.working_set_pages, fit.write_rate_pages_per_s, w.seconds) - w.pages;
    sum += e * e;
  }
  fit.rms_pages    = windows.empty() ? 0 : std::sqrt(sum / static_cast<double>(windows.size()));
  fit.relative_rms = mean_pages > 0 ? fit.rms_pages / mean_pages : 0;
  return fit;
}

}  // namespace migsim
