// The time series of one migration (timeseries.csv): every sample interval, the mean LAN and SAN
// restore throughput since the previous sample, the dirty pages, and with guest IO the guest's storage
// and request throughput and its cache hit ratio. Samples are timed from the timeline origin; the
// last one is taken when the migration's observation window ends.
#pragma once

#include "models/running_guest.hpp"
#include "sim/engine/guest_io_driver.hpp"
#include "sim/engine/run_result.hpp"
#include "sim/engine/san_restorer.hpp"
#include "sim/engine/transfer_pipe.hpp"

#include <vector>

namespace migsim {

class TimeseriesSampler {
public:
  /// `io` may be null (no guest IO); samples are appended to `samples`.
  TimeseriesSampler(RunningGuest& guest, const TransferPipe& lan, const SanRestorer& restorer, const GuestIoDriver* io,
                    double timeline_origin, std::vector<Sample>& samples);
  /// The actor body: a sample every `interval_s` until finish().
  void run(double interval_s);
  /// Takes the last sample and ends run().
  void finish();

private:
  void sample();

  RunningGuest& guest_;
  const TransferPipe& lan_;
  const SanRestorer& restorer_;
  const GuestIoDriver* io_;
  double origin_;
  std::vector<Sample>& samples_;
  bool finished_ = false;
  // the cumulative counters at the previous sample
  double last_t_ = 0, last_lan_ = 0, last_san_ = 0, last_guest_san_ = 0, last_served_ = 0;
  uint64_t last_hits_ = 0, last_misses_ = 0;
};

}  // namespace migsim
