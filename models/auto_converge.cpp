#include "models/auto_converge.hpp"

#include <algorithm>

namespace migsim {

double AutoConverge::on_sync(double now_s, uint64_t dirty_bytes, uint64_t sent_bytes)
{
  dirty_bytes_ += static_cast<double>(dirty_bytes);
  sent_bytes_ += static_cast<double>(sent_bytes);
  if (now_s - period_start_s_ <= 1.0)  // QEMU evaluates periods of more than one second only
    return throttle_;
  if (dirty_bytes_ > settings_.trigger * sent_bytes_ && ++high_count_ >= 2) {
    high_count_ = 0;
    throttle_   = steps_ == 0 ? std::min(settings_.initial, settings_.max)
                              : std::min(throttle_ + settings_.increment, settings_.max);
    ++steps_;
  }
  period_start_s_ = now_s;
  dirty_bytes_    = 0;
  sent_bytes_     = 0;
  return throttle_;
}

}  // namespace migsim
