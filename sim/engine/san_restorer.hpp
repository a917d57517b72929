// The SAN restore at the destination (Akiyama et al., IEEE CLOUD 2014): each batch of clean-cache
// pages a plan hands to the SAN is read from the storage host by a short-lived actor of its own
// (after the plan's delay), as coalesced chunks through one TransferPipe that SimGrid shares with the
// guest's own IO at the array. A batch's pages become present in the destination's memory when it
// ends (a LAN copy that arrived first wins); once the VM runs there, they become usable in its page
// cache in restore order as their bytes arrive. Without a storage host there is no SAN and no restore.
#pragma once

#include "models/destination_memory.hpp"
#include "models/page_bitmap.hpp"
#include "models/page_cache.hpp"
#include "sim/engine/platform_builder.hpp"
#include "sim/engine/transfer_pipe.hpp"
#include "sim/scenario/scenario.hpp"

#include <simgrid/s4u/Actor.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace migsim {

class SanRestorer {
public:
  /// `name` keeps the mailboxes of several VMs apart.
  SanRestorer(const std::string& name, const Scenario& scenario, const MigrationHosts& hosts,
              DestinationMemory& destination);
  bool available() const { return pipe_.has_value(); }

  /// Restores `pages`, starting `delay_s` from now, in the background.
  void start(const PageBitmap& pages, double delay_s);
  /// Blocks the calling actor until every restore started so far is complete.
  void wait();

  double bytes_moved() const { return pipe_ ? pipe_->bytes_moved() : 0; }
  /// Ends the pipe's receiver (VmMigration::close()).
  void close()
  {
    if (pipe_)
      pipe_->close();
  }
  uint64_t requested_bytes() const { return requested_bytes_; }
  /// Bytes moved / time since the first restore began; `nominal_Bps` before any byte.
  double rate_Bps(double now, double nominal_Bps) const;
  /// Every page some restore was asked for.
  PageBitmap requested_pages() const;
  /// Marks the restored pages present in `cache`, in restore order, as far as their bytes have arrived.
  void mark_restored(PageCache& cache);

private:
  simgrid::s4u::Host* storage_;
  DestinationMemory& destination_;
  uint64_t page_size_;
  uint64_t page_count_;
  std::optional<TransferPipe> pipe_;
  std::vector<simgrid::s4u::ActorPtr> actors_;
  std::vector<std::shared_ptr<const PageBitmap>> batches_;  // read in this order, each in page order
  uint64_t requested_bytes_ = 0;
  double first_start_s_     = -1;
  uint64_t marked_          = 0;  // restored pages already marked present in the cache
  size_t cursor_batch_      = 0;  // where the next restored page is looked for
  uint64_t cursor_page_     = 0;
};

}  // namespace migsim
