#include "models/io_penalty.hpp"

#include <algorithm>

namespace migsim {

IoPenalty io_penalty(const std::vector<ThroughputSample>& samples, double resume_s, double baseline_window_s,
                     double threshold, double smoothing_s)
{
  IoPenalty p;
  double bytes = 0, seconds = 0;
  for (const auto& s : samples)
    if (s.end_s <= 0 && s.end_s - s.duration_s >= -baseline_window_s - 1e-9) {
      bytes += s.Bps * s.duration_s;
      seconds += s.duration_s;
    }
  if (seconds <= 0)
    return p;
  p.baseline_Bps = bytes / seconds;
  double last_below = resume_s;
  size_t first       = 0;  // the oldest sample of the trailing window
  double window_bytes = 0, window_s = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    const auto& s        = samples[i];
    const double overlap = std::min(s.duration_s, s.end_s);  // the part of the interval after migration start
    if (overlap > 0)
      p.penalty_s += std::max(0.0, 1 - s.Bps / p.baseline_Bps) * overlap;
    if (s.end_s - s.duration_s < resume_s - 1e-9) {
      first = i + 1;  // the window starts after resume: downtime is penalty, not slow recovery
      continue;
    }
    window_bytes += s.Bps * s.duration_s;
    window_s += s.duration_s;
    for (; samples[first].end_s <= s.end_s - smoothing_s; ++first) {
      window_bytes -= samples[first].Bps * samples[first].duration_s;
      window_s -= samples[first].duration_s;
    }
    if (s.end_s > resume_s && window_bytes < threshold * p.baseline_Bps * window_s)
      last_below = s.end_s;
  }
  p.recovery_s = last_below - resume_s;
  return p;
}

}  // namespace migsim
