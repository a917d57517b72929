// Progress of a sweep on stderr: on a terminal one line redrawn in place with '\r' (bar, runs done,
// failed, rate, time left); in a pipe or a log file (Slurm, CI) a plain line every few seconds, so logs
// stay readable. Debian 12 packages no C++ progress-bar library, and this is all a sweep needs.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace migsim {

class ProgressBar {
public:
  /// `total` runs to do in this call; `skipped` of them were already done before it started.
  ProgressBar(size_t total, size_t skipped, bool enabled, std::FILE* out = stderr);

  /// One more run finished (failed or not); redraws when due.
  void advance(bool failed);
  /// Redraws when due (elapsed time and time left change while runs are under way).
  void tick();
  /// The final line (always printed when enabled).
  void finish();

  /// "1m05s", "3h02m": short durations for humans.
  static std::string format_duration(double seconds);

private:
  void draw(bool final);
  std::string status_text(double elapsed_s) const;

  using Clock = std::chrono::steady_clock;
  size_t total_;
  size_t skipped_;
  size_t done_   = 0;  // finished in this call
  size_t failed_ = 0;
  bool enabled_;
  bool terminal_;
  std::FILE* out_;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  size_t last_width_ = 0;
};

}  // namespace migsim
