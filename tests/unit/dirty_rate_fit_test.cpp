// models/dirty_rate_fit: (N, r) recovered from noisy synthetic counts of the saturation law, the
// degenerate cases, and a residual that gives away a curve the law cannot fit.
#include "models/dirty_rate_fit.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

using namespace migsim;

namespace {
constexpr double memory_pages = 131072;  // 512 MiB of 4 KiB pages, the testbed's guest

/// d(t_i) of the law with a relative Gaussian error of `noise` (fixed seed: the same data every run).
std::vector<DirtyWindow> synthetic(double n, double r, const std::vector<double>& seconds, double noise,
                                   unsigned seed = 7)
{
  std::mt19937 random(seed);
  std::normal_distribution<double> error(0.0, noise);
  std::vector<DirtyWindow> windows;
  for (double t : seconds)
    windows.push_back({t, std::min(memory_pages, saturation_pages(n, r, t) * (1 + error(random)))});
  return windows;
}
const std::vector<double> calc_times = {0.5, 1, 2, 4, 8};
}  // namespace

TEST_CASE("the saturation law: r t while t is short, N once it is long")
{
  CHECK(saturation_pages(1000, 100, 0.01) == doctest::Approx(1.0).epsilon(1e-3));
  CHECK(saturation_pages(1000, 100, 1000) == doctest::Approx(1000));
  CHECK(saturation_pages(0, 100, 1) == 0);
  CHECK(saturation_pages(1000, 0, 1) == 0);
}

TEST_CASE("fit: exact data gives N and r back, with a residual near 0")
{
  const auto fit = fit_dirty_rate(synthetic(20000, 8000, calc_times, 0), memory_pages);
  CHECK(fit.kind == DirtyRateFit::Kind::Fitted);
  CHECK(fit.working_set_pages == doctest::Approx(20000).epsilon(1e-6));
  CHECK(fit.write_rate_pages_per_s == doctest::Approx(8000).epsilon(1e-6));
  CHECK(fit.relative_rms < 1e-8);
  CHECK_FALSE(fit.rate_given);
}

namespace {
/// Mean and worst relative errors of (N, r) over seeds 1..`seeds` of `synthetic` data.
struct Errors {
  double mean_n = 0, worst_n = 0, mean_r = 0, worst_r = 0;
};
Errors errors(double n, double r, const std::vector<double>& seconds, double noise, unsigned seeds)
{
  Errors e;
  for (unsigned seed = 1; seed <= seeds; ++seed) {
    const auto fit  = fit_dirty_rate(synthetic(n, r, seconds, noise, seed), memory_pages);
    const double en = std::fabs(fit.working_set_pages / n - 1), er = std::fabs(fit.write_rate_pages_per_s / r - 1);
    e.mean_n += en / seeds;
    e.mean_r += er / seeds;
    e.worst_n = std::max(e.worst_n, en);
    e.worst_r = std::max(e.worst_r, er);
  }
  return e;
}
}  // namespace

// Measured (20 seeds x 6 cases): N mean 1.7 %, worst 8.0 %; r mean 1.5 %, worst 5.4 %.
TEST_CASE("fit: 2 % noise on five windows (0.5-8 s): N and r within 3 % on average, 10 % at worst")
{
  for (double n : {2500.0, 20000.0, 80000.0})
    for (double r : {0.2 * n, 1.0 * n}) {  // slow (barely saturates by 8 s) and fast (saturated by 4 s)
      CAPTURE(n);
      CAPTURE(r);
      const Errors e = errors(n, r, calc_times, 0.02, 20);
      CHECK(e.mean_n < 0.03);
      CHECK(e.mean_r < 0.03);
      CHECK(e.worst_n < 0.10);
      CHECK(e.worst_r < 0.10);
    }
  const auto fit = fit_dirty_rate(synthetic(20000, 8000, calc_times, 0.02), memory_pages);
  CHECK(fit.kind == DirtyRateFit::Kind::Fitted);
  CHECK(fit.relative_rms < 0.04);
}

// Measured (20 seeds): N mean 3.6 %, worst 12.4 %; r mean 2.7 %, worst 6.6 %. With 5 % noise the
// same three windows give N mean 10 %, worst 43 %: three short windows pin r better than N.
TEST_CASE("fit: the testbed's three calc times (1, 2, 4 s), 2 % noise: N within 6 % and r within 5 % on average")
{
  const Errors e = errors(32768, 12000, {1, 2, 4}, 0.02, 20);
  CHECK(e.mean_n < 0.06);
  CHECK(e.mean_r < 0.05);
  CHECK(e.worst_n < 0.20);
  CHECK(e.worst_r < 0.10);
}

TEST_CASE("fit with a known write rate fits N alone")
{
  const auto fit = fit_dirty_rate(synthetic(20000, 8000, calc_times, 0.02), memory_pages, 8000.0);
  CHECK(fit.kind == DirtyRateFit::Kind::Fitted);
  CHECK(fit.rate_given);
  CHECK(fit.write_rate_pages_per_s == 8000);
  CHECK(fit.working_set_pages == doctest::Approx(20000).epsilon(0.03));
  // One window is enough when r is known.
  const auto one = fit_dirty_rate({{2, saturation_pages(20000, 8000, 2)}}, memory_pages, 8000.0);
  CHECK(one.working_set_pages == doctest::Approx(20000).epsilon(1e-4));
}

TEST_CASE("fit: a working set larger than memory is held at memory (uniform over all pages)")
{
  const auto fit = fit_dirty_rate(synthetic(memory_pages, 30000, calc_times, 0), memory_pages);
  CHECK(fit.working_set_at_memory);
  CHECK(fit.working_set_pages == memory_pages);
  CHECK(fit.write_rate_pages_per_s == doctest::Approx(30000).epsilon(1e-4));
  // Linear counts (no saturation in sight) want N beyond memory: still N = memory, and r a little
  // above the slope, since even all of memory bends the curve (by 1.5 % at 4 s here).
  const auto linear = fit_dirty_rate({{1, 1000}, {2, 2000}, {4, 4000}}, memory_pages);
  CHECK(linear.working_set_at_memory);
  CHECK(linear.write_rate_pages_per_s == doctest::Approx(1000).epsilon(0.02));
}

TEST_CASE("degenerate: nothing dirtied is an idle guest, and one window gives r with N = memory")
{
  const auto idle = fit_dirty_rate({{1, 0}, {2, 0}, {4, 0}}, memory_pages);
  CHECK(idle.kind == DirtyRateFit::Kind::Idle);
  CHECK(idle.working_set_pages == 0);
  CHECK(idle.write_rate_pages_per_s == 0);
  CHECK(fit_dirty_rate({}, memory_pages, 0.0).kind == DirtyRateFit::Kind::Idle);

  const double d   = saturation_pages(memory_pages, 5000, 1);
  const auto one   = fit_dirty_rate({{1, d}}, memory_pages);
  CHECK(one.kind == DirtyRateFit::Kind::RateOnly);
  CHECK(one.working_set_pages == memory_pages);
  CHECK(one.write_rate_pages_per_s == doctest::Approx(5000).epsilon(1e-9));
  CHECK(one.rms_pages == doctest::Approx(0).epsilon(1e-6));

  const auto given = fit_dirty_rate({}, memory_pages, 700.0);
  CHECK(given.kind == DirtyRateFit::Kind::Given);
  CHECK(given.working_set_pages == memory_pages);
  CHECK(given.write_rate_pages_per_s == 700);
}

TEST_CASE("degenerate: windows that are all saturated give N and a lower bound of r")
{
  // 4096 hot pages written at 50000 pages/s: full after 0.5 s, so 1, 2 and 4 s all read 4096.
  const auto fit = fit_dirty_rate({{1, 4096}, {2, 4090}, {4, 4100}}, memory_pages);
  CHECK(fit.kind == DirtyRateFit::Kind::Saturated);
  CHECK(fit.working_set_pages == doctest::Approx(4095).epsilon(0.01));
  CHECK(fit.write_rate_pages_per_s == doctest::Approx(fit.working_set_pages * std::log(1000.0)).epsilon(1e-9));
  CHECK(fit.relative_rms < 0.01);
  // One window with all of memory dirty.
  CHECK(fit_dirty_rate({{1, memory_pages}}, memory_pages).kind == DirtyRateFit::Kind::Saturated);
}

TEST_CASE("fit: a curve the law cannot follow shows a large residual")
{
  // A hot set saturated within 0.1 s plus a cold set that grows linearly: a knee, then a straight
  // line that never levels off, which no single exponential follows.
  std::vector<DirtyWindow> windows;
  for (double t : {0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 4.0, 8.0})
    windows.push_back({t, 10000 * (1 - std::exp(-t * 200)) + 3000 * t});
  const auto wrong = fit_dirty_rate(windows, memory_pages);
  const auto right = fit_dirty_rate(synthetic(20000, 8000, calc_times, 0.02), memory_pages);
  CAPTURE(wrong.relative_rms);
  CHECK(wrong.relative_rms > 0.10);
  CHECK(wrong.relative_rms > 5 * right.relative_rms);
}

TEST_CASE("fit: bad input is refused")
{
  CHECK_THROWS_AS(fit_dirty_rate({{0, 10}}, memory_pages), std::invalid_argument);
  CHECK_THROWS_AS(fit_dirty_rate({{1, -1}}, memory_pages), std::invalid_argument);
  CHECK_THROWS_AS(fit_dirty_rate({{1, memory_pages + 1}}, memory_pages), std::invalid_argument);
  CHECK_THROWS_AS(fit_dirty_rate({}, memory_pages), std::invalid_argument);
  CHECK_THROWS_AS(fit_dirty_rate({{1, 10}}, 0), std::invalid_argument);
  CHECK_THROWS_AS(fit_dirty_rate({{1, 10}}, memory_pages, -1.0), std::invalid_argument);
}
