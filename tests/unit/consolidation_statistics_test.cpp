// The statistics of the adaptive overload detectors, against values worked by hand.
#include "models/consolidation/robust_statistics.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace migsim;

TEST_CASE("median of odd and even counts")
{
  CHECK(median({3, 1, 2}) == 2);
  CHECK(median({4, 1, 3, 2}) == 2.5);
  CHECK_THROWS_AS(median({}), std::invalid_argument);
}

TEST_CASE("interquartile range: medians of the lower and upper halves")
{
  // 1..8: halves {1,2,3,4} and {5,6,7,8}, quartiles 2.5 and 6.5.
  CHECK(interquartile_range({8, 7, 6, 5, 4, 3, 2, 1}) == 4);
  // 1..9: the median 5 belongs to neither half: {1,2,3,4} and {6,7,8,9}, quartiles 2.5 and 7.5.
  CHECK(interquartile_range({1, 2, 3, 4, 5, 6, 7, 8, 9}) == 5);
  CHECK(interquartile_range({0.4}) == 0);
}

TEST_CASE("median absolute deviation")
{
  // median 2; deviations 1,1,0,0,2,4,7 -> sorted 0,0,1,1,2,4,7 -> 1.
  CHECK(median_absolute_deviation({1, 1, 2, 2, 4, 6, 9}) == 1);
  CHECK(median_absolute_deviation({0.5, 0.5, 0.5}) == 0);
}

TEST_CASE("loess of a line is the line")
{
  std::vector<double> y;
  for (int x = 1; x <= 10; ++x)
    y.push_back(0.1 + 0.05 * x);
  const LineFit fit = local_regression(y);
  CHECK(fit.intercept == doctest::Approx(0.1));
  CHECK(fit.slope == doctest::Approx(0.05));
  CHECK(fit.at(12) == doctest::Approx(0.7));
  const LineFit robust = robust_local_regression(y);
  CHECK(robust.slope == doctest::Approx(0.05));
}

TEST_CASE("loess weighs the newest point 1 and the oldest 0")
{
  // y = 0, 0, 1 at x = 1, 2, 3: tricube weights 0, 0.67, 1 leave the line through (2, 0) and (3, 1).
  const LineFit fit = local_regression({0, 0, 1});
  CHECK(fit.slope == doctest::Approx(1));
  CHECK(fit.intercept == doctest::Approx(-2));
  CHECK(fit.at(4) == doctest::Approx(2));
  CHECK_THROWS_AS(local_regression({1, 2}), std::invalid_argument);
}

TEST_CASE("robust loess ignores a spike that tilts plain loess")
{
  std::vector<double> y(10, 0.5);
  y[6] = 5;  // one spike at x = 7
  CHECK(local_regression(y).at(10) != doctest::Approx(0.5));
  const LineFit robust = robust_local_regression(y);
  CHECK(robust.at(10) == doctest::Approx(0.5));
  CHECK(robust.slope == doctest::Approx(0).epsilon(1e-12));
}
