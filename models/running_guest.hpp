// The guest as time passes: its memory and the writes its workload makes while it runs. Dirtying
// needs no events: whoever looks first brings the guest up to "now" (run_until), and a paused
// guest writes nothing. Splitting an interval into pieces gives exactly the same pages written.
// A throttled guest (auto-converge takes a fraction of its CPU) runs, and so writes, at
// (1 - throttle) of its speed: its dirtying model sees that much guest time.
#pragma once

#include "models/dirtying_model.hpp"
#include "models/guest_memory.hpp"

#include <algorithm>

namespace migsim {

class RunningGuest {
public:
  RunningGuest(const MemoryLayout& layout, const DirtyingSpec& dirtying, uint64_t seed)
      : memory_(layout), dirtying_(dirtying, seed)
  {
  }

  GuestMemory& memory() { return memory_; }
  const GuestMemory& memory() const { return memory_; }
  bool running() const { return running_; }

  void run_until(double now)
  {
    if (running_ && !dirtying_stopped_ && now > clock_)
      dirtying_.advance(memory_, (now - clock_) * (1 - throttle_));
    clock_ = std::max(clock_, now);
  }
  /// From `now` on, `fraction` (0..1) of the guest's CPU is taken away.
  void set_throttle(double fraction, double now)
  {
    run_until(now);
    throttle_ = fraction;
  }
  double throttle() const { return throttle_; }
  /// Seconds the guest has run, net of throttling (the clock of phased and traced workloads).
  double guest_time() const { return dirtying_.guest_time(); }
  void pause(double now)
  {
    run_until(now);
    running_ = false;
  }
  /// Once migrated, the guest's writes matter to nobody: stop drawing them (a large evacuation
  /// would otherwise spend its time dirtying memory that is never sent again).
  void stop_dirtying(double now)
  {
    run_until(now);
    dirtying_stopped_ = true;
  }
  /// The guest's writes before `now` are not drawn (its first pass sends every page anyway): a VM
  /// whose migration starts hours into a data-centre run would otherwise draw hours of writes.
  void start_at(double now) { clock_ = std::max(clock_, now); }
  void resume(double now)
  {
    clock_   = std::max(clock_, now);
    running_ = true;
  }

private:
  GuestMemory memory_;
  DirtyingModel dirtying_;
  double clock_    = 0;
  double throttle_ = 0;
  bool running_    = true;
  bool dirtying_stopped_ = false;
};

}  // namespace migsim
