// The post-migration IO penalty, from the sampled guest IO throughput (docs/outputs.md):
//   baseline  = mean throughput over the window before migration starts;
//   penalty   = integral from migration start to the end of observation of max(0, 1 - thr(t)/baseline) dt,
//               the seconds of guest IO work lost (downtime counts in full);
//   recovery  = time from resume until throughput, averaged over a trailing `smoothing_s` window (one
//               slow 10 ms step must not count as a relapse), stays at or above `threshold` x baseline.
#pragma once

#include <vector>

namespace migsim {

struct ThroughputSample {
  double end_s;       ///< end of the interval, relative to migration start
  double duration_s;
  double Bps;
};

struct IoPenalty {
  double baseline_Bps = 0;
  double penalty_s    = 0;
  double recovery_s   = 0;
};

IoPenalty io_penalty(const std::vector<ThroughputSample>& samples, double resume_s, double baseline_window_s,
                     double threshold = 0.95, double smoothing_s = 1.0);

}  // namespace migsim
