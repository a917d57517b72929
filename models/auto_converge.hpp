// auto-converge: QEMU's guest CPU throttling for pre-copy that does not converge (QEMU
// migration/ram.c, migration_trigger_throttle and mig_throttle_guest_down; parameters in
// qapi/migration.json).
//
// At every dirty-bitmap sync (here: before every round) at least 1 s after the last evaluation, the
// bytes dirtied in that period are compared with the bytes sent in it. When dirtied > `trigger` x
// sent for the second time, the throttle starts at `initial` or grows by `increment`, capped at
// `max`, and the count starts again. As in QEMU the count is not reset by a period below the
// trigger, so "the second time" need not be two periods in a row. The throttle only grows during
// a migration (QEMU lifts it when the migration ends).
// Parameters (QEMU defaults, there in percent): cpu-throttle-initial 20, cpu-throttle-increment
// 10, max-cpu-throttle 99, throttle-trigger-threshold 50.
// Limits: no cpu-throttle-tailslow; one throttle for the whole guest (QEMU throttles each vCPU by
// sleeping it a share of every 10 ms slice, which this averages out).
#pragma once

#include <cstdint>

namespace migsim {

struct AutoConvergeSettings {
  double initial   = 0.20;  ///< first throttle, fraction of guest CPU
  double increment = 0.10;  ///< added at every later trigger
  double max       = 0.99;  ///< never more than this
  double trigger   = 0.50;  ///< dirtied / sent ratio above which a period counts as "too fast"
};

class AutoConverge {
public:
  explicit AutoConverge(const AutoConvergeSettings& settings) : settings_(settings) {}

  /// A bitmap sync at migration time `now_s`: `dirty_bytes` were dirtied and `sent_bytes` sent since
  /// the previous sync. Returns the throttle to apply from now on.
  double on_sync(double now_s, uint64_t dirty_bytes, uint64_t sent_bytes);
  double throttle() const { return throttle_; }
  int steps() const { return steps_; }  ///< how many times the throttle was set or raised

private:
  AutoConvergeSettings settings_;
  double period_start_s_ = 0;
  double dirty_bytes_    = 0;  // in the current period
  double sent_bytes_     = 0;
  int high_count_        = 0;
  int steps_             = 0;
  double throttle_       = 0;
};

}  // namespace migsim
