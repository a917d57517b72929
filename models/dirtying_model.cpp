#include "models/dirtying_model.hpp"

#include <algorithm>
#include <cmath>

namespace migsim {

std::vector<DirtyingPhase> phases_from_rates(const DirtyTrace& trace, const DirtyingSpec& base, double page_size)
{
  std::vector<DirtyingPhase> phases;
  for (const DirtyRateStep& step : trace.rates)
    phases.push_back({step.time_s, base.pattern, step.rate_Bps / page_size, base.hot_fraction, base.hot_share,
                      base.zipf_exponent});
  return phases;
}

DirtyingModel::DirtyingModel(const DirtyingSpec& spec, uint64_t seed) : spec_(spec), random_(seed, "dirtying")
{
  phases_.push_back({0, spec.pattern, spec.pages_per_s, spec.hot_fraction, spec.hot_share, spec.zipf_exponent});
  phases_.insert(phases_.end(), spec.phases.begin(), spec.phases.end());
}

uint64_t DirtyingModel::pick_page(const DirtyingPhase& phase, uint64_t page_count)
{
  switch (phase.pattern) {
    case DirtyPattern::Sequential: {
      const uint64_t page = cursor_;
      cursor_             = (cursor_ + 1) % page_count;
      return page;
    }
    case DirtyPattern::HotSet: {
      const uint64_t hot = std::clamp<uint64_t>(static_cast<uint64_t>(phase.hot_fraction * page_count), 1, page_count);
      if (hot == page_count || random_.uniform() < phase.hot_share)
        return random_.below(hot);
      return hot + random_.below(page_count - hot);
    }
    case DirtyPattern::Zipf:
      if (!zipf_ || zipf_pages_ != page_count || zipf_exponent_ != phase.zipf_exponent) {
        zipf_.emplace(page_count, phase.zipf_exponent);
        zipf_pages_    = page_count;
        zipf_exponent_ = phase.zipf_exponent;
      }
      return (*zipf_)(random_) - 1;  // rank r is page r - 1
    default:
      return random_.below(page_count);
  }
}

void DirtyingModel::write_phase(GuestMemory& memory, const DirtyingPhase& phase, double seconds)
{
  if (seconds <= 0 || phase.pages_per_s <= 0)
    return;
  const double exact    = carry_ + phase.pages_per_s * seconds;
  // A phased workload splits intervals at its own boundaries, so the same write count can come out
  // a rounding error below a whole number one way and not the other: count that as whole. (Not
  // without phases, so that those runs stay bit-identical to before phases existed.)
  const double slack    = phases_.size() > 1 ? 1e-9 * std::max(1.0, exact) : 0;
  const double whole    = std::floor(exact + slack);
  carry_                = exact - whole;
  const uint64_t writes = static_cast<uint64_t>(whole);
  const uint64_t n      = memory.page_count();
  if (phase.pattern == DirtyPattern::Sequential && writes >= n) {  // a full sweep or more: every page
    for (uint64_t p = 0; p < n; ++p)
      memory.write(p);
    cursor_ = (cursor_ + writes) % n;
    return;
  }
  for (uint64_t i = 0; i < writes; ++i)
    memory.write(pick_page(phase, n));
}

void DirtyingModel::replay_trace(GuestMemory& memory, double until)
{
  const auto& bursts = spec_.trace->bursts;
  for (; next_burst_ < bursts.size() && bursts[next_burst_].time_s < until; ++next_burst_) {
    const DirtyBurst& b = bursts[next_burst_];
    for (uint64_t p = b.first_page; p < b.first_page + b.pages; ++p) {
      if (b.page_class == PageClass::Free) {
        memory.drop(p);  // freeing changes no content: nothing to re-send
        continue;
      }
      memory.write(p);
      if (b.page_class)
        memory.fill(p, *b.page_class);
    }
  }
}

void DirtyingModel::advance(GuestMemory& memory, double seconds)
{
  if (seconds <= 0)
    return;
  if (spec_.trace) {
    guest_time_ += seconds;
    replay_trace(memory, guest_time_);
    return;
  }
  // Split the interval at phase changes; without any, `seconds` is used as given (bit-identical runs).
  double left = seconds;
  while (phase_ + 1 < phases_.size() && phases_[phase_ + 1].at_s < guest_time_ + left) {
    const double piece = std::max(0.0, phases_[phase_ + 1].at_s - guest_time_);
    write_phase(memory, phases_[phase_], piece);
    left -= piece;
    guest_time_ = std::max(guest_time_, phases_[phase_ + 1].at_s);
    ++phase_;
  }
  write_phase(memory, phases_[phase_], left);
  guest_time_ += left;
}

}  // namespace migsim
