// The statistics the adaptive overload detectors of Beloglazov and Buyya (CCPE 24(13), 2012) need,
// written from their textbook definitions:
//  - median; interquartile range with the quartiles as the medians of the lower and upper halves of
//    the sorted sample, the middle value left out of both when the count is odd (Tukey's hinges);
//  - median absolute deviation, MAD = median_i |x_i - median(x)|, unscaled;
//  - local regression (loess, Cleveland 1979) of y_1..y_n at x_i = i, fitted for the newest point
//    x_n: a straight line by weighted least squares with tricube weights
//    w_i = (1 - u_i^3)^3, u_i = (x_n - x_i) / (x_n - x_1), so the newest point weighs 1 and the oldest 0;
//  - robust local regression: the same, then refitted `iterations` times with each weight multiplied
//    by the bisquare B(e_i / (6 s)) of its residual e_i, B(r) = (1 - r^2)^2 for |r| < 1 else 0,
//    s = median |e_i|.
// Limits: the regressions need at least 3 values (with 2, the tricube weights leave one point);
// every function needs a non-empty sample and throws std::invalid_argument otherwise.
#pragma once

#include <vector>

namespace migsim {

double median(std::vector<double> values);
double interquartile_range(std::vector<double> values);
double median_absolute_deviation(const std::vector<double>& values);

/// y = intercept + slope * x, with x_i = i for the i-th value (1-based, oldest first).
struct LineFit {
  double intercept = 0;
  double slope     = 0;
  double at(double x) const { return intercept + slope * x; }
};

LineFit local_regression(const std::vector<double>& values);
LineFit robust_local_regression(const std::vector<double>& values, int iterations = 2);

}  // namespace migsim
