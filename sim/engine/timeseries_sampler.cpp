#include "sim/engine/timeseries_sampler.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace sg4 = simgrid::s4u;

namespace migsim {

TimeseriesSampler::TimeseriesSampler(RunningGuest& guest, const TransferPipe& lan, const SanRestorer& restorer,
                                     const GuestIoDriver* io, double timeline_origin, std::vector<Sample>& samples)
    : guest_(guest), lan_(lan), restorer_(restorer), io_(io), origin_(timeline_origin), samples_(samples)
{
}

void TimeseriesSampler::run(double interval_s)
{
  while (!finished_) {
    sg4::this_actor::sleep_for(interval_s);
    if (!finished_)
      sample();
  }
}

void TimeseriesSampler::finish()
{
  sample();
  finished_ = true;
}

void TimeseriesSampler::sample()
{
  const double t  = sg4::Engine::get_clock();
  const double dt = t - last_t_;
  if (dt <= 0)
    return;
  guest_.run_until(t);
  Sample s{};
  s.time_s          = t - origin_;
  const double lan  = lan_.bytes_moved();
  const double san  = restorer_.bytes_moved();
  s.lan_Bps         = (lan - last_lan_) / dt;
  s.san_restore_Bps = (san - last_san_) / dt;
  s.dirty_pages     = guest_.memory().dirty_count();
  s.cache_hit_ratio = -1;
  last_lan_ = lan;
  last_san_ = san;
  if (io_) {
    const IoCounters& c   = io_->counters();
    const double guest    = io_->storage_bytes();
    s.san_guest_Bps       = (guest - last_guest_san_) / dt;
    s.io_Bps              = (c.served_bytes - last_served_) / dt;
    const uint64_t reads  = (c.hits - last_hits_) + (c.misses - last_misses_);
    s.cache_hit_ratio     = reads ? static_cast<double>(c.hits - last_hits_) / static_cast<double>(reads) : -1;
    last_guest_san_       = guest;
    last_served_          = c.served_bytes;
    last_hits_            = c.hits;
    last_misses_          = c.misses;
  }
  samples_.push_back(s);
  last_t_ = t;
}

}  // namespace migsim
