// Bulk data from one host to another as coalesced chunks over a few concurrent streams, the way QEMU's
// multifd channels move migration data. SimGrid sees one activity per chunk, never one per page.
// Mailbox comms are used because Comm::set_rate() (the bandwidth cap) is ignored on host-to-host
// sendto comms in SimGrid 3.32; a permanent receiver lets every chunk start as soon as it is posted.
// A stream may also be held to the rate its migration thread can process (stream_cpu_rate): the pipe
// records when that limit bound a chunk, so that the outputs can say so.
#pragma once

#include "sim/engine/interval_union.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Mailbox.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace migsim {

class TransferPipe {
public:
  /// Chunks flow to host `to` from the host of whichever actor calls send().
  TransferPipe(const std::string& name, simgrid::s4u::Host* to, int streams, uint64_t chunk_bytes,
               double rate_cap_Bps);
  /// Holds every stream to `Bps` (0: no limit), whatever the transfer's cap, and adds to `bound` the
  /// time of each chunk that moved at this rate (at least 99 % of it, the path's latency aside).
  void set_stream_cpu_rate(double Bps, IntervalUnion* bound)
  {
    stream_cpu_Bps_ = Bps;
    cpu_bound_      = bound;
  }

  /// Moves `bytes`; blocks the calling actor until the last chunk has arrived. Several actors may
  /// send through one pipe at once (they then share its streams' links as SimGrid decides).
  void send(uint64_t bytes) { send(bytes, rate_cap_Bps_); }
  /// The same with another total rate cap for this transfer (0 = none).
  void send(uint64_t bytes, double rate_cap_Bps);
  /// Bytes delivered so far, counting the progress of chunks in flight (for time series).
  double bytes_moved() const;
  /// Ends the receiver (call from an actor, once nothing more will be sent): a data centre that runs
  /// tens of thousands of migrations would otherwise keep one idle actor per pipe to the end.
  void close()
  {
    mailbox_->set_receiver(nullptr);  // the mailbox outlives the pipe: it would keep the actor (and its stack)
    receiver_->kill();
    receiver_ = nullptr;
  }

private:
  simgrid::s4u::Mailbox* mailbox_;
  simgrid::s4u::ActorPtr receiver_;
  simgrid::s4u::Host* to_;
  int streams_;
  uint64_t chunk_bytes_;
  double rate_cap_Bps_;  // 0 = uncapped
  double delivered_ = 0;
  double stream_cpu_Bps_      = 0;  // 0 = no limit
  IntervalUnion* cpu_bound_   = nullptr;
  struct Chunk {
    simgrid::s4u::CommPtr comm;
    uint64_t bytes;
    double start_s;
  };
  std::map<simgrid::s4u::Comm*, Chunk> in_flight_;
};

}  // namespace migsim
