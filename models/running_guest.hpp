// The guest as time passes: its memory and the writes its workload makes while it runs. Dirtying
// needs no events: whoever looks first brings the guest up to "now" (run_until), and a paused
// guest writes nothing. Splitting an interval into pieces gives exactly the same pages written.
#pragma once

#include "dirtying_model.hpp"
#include "guest_memory.hpp"

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
    if (running_ && now > clock_)
      dirtying_.advance(memory_, now - clock_);
    clock_ = std::max(clock_, now);
  }
  void pause(double now)
  {
    run_until(now);
    running_ = false;
  }
  void resume(double now)
  {
    clock_   = std::max(clock_, now);
    running_ = true;
  }

private:
  GuestMemory memory_;
  DirtyingModel dirtying_;
  double clock_  = 0;
  bool running_  = true;
};

}  // namespace migsim
