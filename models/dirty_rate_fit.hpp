// Fits the saturation law of distinct dirty pages to measurements: a guest that writes r pages/s
// uniformly over a working set of N pages has, after t seconds, d(t) = N (1 - exp(-r t / N)) distinct
// dirty pages (model.md §4). Given distinct-page counts d_i over windows t_i (QEMU's
// `calc-dirty-rate` at several `calc-time`s, or any tool that counts pages written in a window), this
// finds the (N, r) that minimise sum (d(t_i) - d_i)^2: Levenberg-Marquardt on (ln N, ln r), so both
// stay positive, from a few starting working sets (the best one wins), with N at most the memory.
// When the write rate is known (counted by the guest itself), only N is fitted.
//
// Degenerate cases are answered, not refused: no dirtying (every d_i = 0) is an idle guest; one
// window and no known rate fixes N = memory and solves r exactly; windows that are all saturated
// (the shortest already holds 99.9 % of N) give N and only a lower bound of r.
//
// Limits: one working set with uniform writes. A guest with a hot and a cold set (two saturation
// curves) is fitted by one curve and shows it in the residual. Windows are weighted equally (a count
// over a long window is no more trusted than one over a short window).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace migsim {

/// Distinct pages dirtied over `seconds` of guest time.
struct DirtyWindow {
  double seconds = 0;
  double pages   = 0;
};

struct DirtyRateFit {
  enum class Kind {
    Fitted,     ///< N (and r unless it was given) by least squares
    Saturated,  ///< every window saturated: N fitted, r is a lower bound (shortest window at 99.9 % of N)
    RateOnly,   ///< one window, no known rate: N = memory, r solved exactly
    Given,      ///< no window: N = memory, r as given
    Idle,       ///< nothing dirtied (every d_i = 0, or a given rate of 0): N = r = 0
  };
  Kind kind                    = Kind::Idle;
  double working_set_pages     = 0;  ///< N
  double write_rate_pages_per_s = 0;  ///< r
  bool rate_given              = false;  ///< r came from the caller, not from the fit
  bool working_set_at_memory   = false;  ///< the best N was the whole memory (the bound)
  size_t windows               = 0;
  double rms_pages             = 0;  ///< sqrt(mean (d(t_i) - d_i)^2), 0 without windows
  double relative_rms          = 0;  ///< rms_pages / mean d_i (0 when every d_i is 0)
};

/// d(t) = N (1 - exp(-r t / N)); 0 when N or r is 0.
double saturation_pages(double working_set_pages, double rate_pages_per_s, double seconds);

/// Throws std::invalid_argument for a window with seconds <= 0, pages < 0 or pages > memory_pages,
/// memory_pages <= 0, or a known rate < 0 (the caller names the input; this is the backstop).
DirtyRateFit fit_dirty_rate(const std::vector<DirtyWindow>& windows, double memory_pages,
                            std::optional<double> known_rate_pages_per_s = std::nullopt);

/// "fitted", "saturated", ... for messages.
std::string to_string(DirtyRateFit::Kind kind);

}  // namespace migsim
