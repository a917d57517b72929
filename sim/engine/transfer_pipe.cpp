#include "sim/engine/transfer_pipe.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <vector>

namespace sg4 = simgrid::s4u;

namespace migsim {
namespace {
char chunk_token;  // the payload pointer of every chunk: only the simulated size matters

double route_latency(sg4::Host* from, sg4::Host* to)
{
  std::vector<sg4::Link*> links;
  double latency = 0;
  from->route_to(to, links, &latency);
  return latency;
}
}

TransferPipe::TransferPipe(const std::string& name, sg4::Host* to, int streams, uint64_t chunk_bytes,
                           double rate_cap_Bps)
    : mailbox_(sg4::Mailbox::by_name(name))
    , to_(to)
    , streams_(streams)
    , chunk_bytes_(chunk_bytes)
    , rate_cap_Bps_(rate_cap_Bps)
{
  sg4::Mailbox* box = mailbox_;
  receiver_ = sg4::Actor::create(name + "-receiver", to, [box] {
    box->set_receiver(sg4::Actor::self());
    while (true)
      box->get<char>();
  });
  receiver_->daemonize();
}

void TransferPipe::send(uint64_t bytes, double rate_cap_Bps)
{
  double rate_per_stream = rate_cap_Bps > 0 ? rate_cap_Bps / streams_ : 0;
  const bool cpu_limits  = stream_cpu_Bps_ > 0 && (rate_per_stream == 0 || stream_cpu_Bps_ <= rate_per_stream);
  if (cpu_limits)
    rate_per_stream = stream_cpu_Bps_;
  const double latency = cpu_limits && cpu_bound_ ? route_latency(sg4::this_actor::get_host(), to_) : 0;
  std::vector<sg4::CommPtr> active;
  uint64_t left = bytes;
  // Equal chunks in whole waves over all streams, so that every stream (and its share of a cap) is
  // busy to the end: a lone last chunk would run at one stream's share of the cap.
  const uint64_t wave   = chunk_bytes_ * static_cast<uint64_t>(streams_);
  const uint64_t pieces = std::max<uint64_t>(1, (bytes + wave - 1) / wave) * static_cast<uint64_t>(streams_);
  const uint64_t chunk  = std::max<uint64_t>(1, (bytes + pieces - 1) / pieces);
  while (left > 0 || !active.empty()) {
    while (left > 0 && active.size() < static_cast<size_t>(streams_)) {
      const uint64_t size = std::min(chunk, left);
      sg4::CommPtr comm   = mailbox_->put_init(&chunk_token, size);
      if (rate_per_stream > 0)
        comm->set_rate(rate_per_stream);
      comm->start();
      in_flight_[comm.get()] = {comm, size, sg4::Engine::get_clock()};
      active.push_back(comm);
      left -= size;
    }
    const auto done = static_cast<size_t>(sg4::Comm::wait_any(active));
    auto it         = in_flight_.find(active[done].get());
    const Chunk& c  = it->second;
    delivered_ += static_cast<double>(c.bytes);
    const double now = sg4::Engine::get_clock();
    if (cpu_limits && cpu_bound_ &&
        static_cast<double>(c.bytes) >= 0.99 * stream_cpu_Bps_ * (now - c.start_s - latency))
      cpu_bound_->add(c.start_s, now);
    in_flight_.erase(it);
    active.erase(active.begin() + static_cast<std::ptrdiff_t>(done));
  }
}

double TransferPipe::bytes_moved() const
{
  double moved = delivered_;
  for (const auto& [comm, chunk] : in_flight_)
    moved += static_cast<double>(chunk.bytes) - std::max(0.0, chunk.comm->get_remaining());
  return moved;
}

}  // namespace migsim
