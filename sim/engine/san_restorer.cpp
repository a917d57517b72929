#include "sim/engine/san_restorer.hpp"

#include <simgrid/s4u/Engine.hpp>

namespace sg4 = simgrid::s4u;

namespace migsim {

SanRestorer::SanRestorer(const std::string& name, const Scenario& s, const MigrationHosts& hosts,
                         DestinationMemory& destination)
    : storage_(hosts.storage)
    , destination_(destination)
    , page_size_(s.memory.page_size)
    , page_count_(s.memory.page_count)
{
  if (!hosts.storage)
    return;
  pipe_.emplace(name + "-san", hosts.destination, s.migration.streams, static_cast<uint64_t>(s.migration.chunk_bytes), 0);
}

void SanRestorer::start(const PageBitmap& pages, double delay_s)
{
  const uint64_t bytes = pages.count() * page_size_;
  requested_bytes_ += bytes;
  auto batch = std::make_shared<const PageBitmap>(pages);
  batches_.push_back(batch);
  actors_.push_back(sg4::Actor::create("san-restorer", storage_, [this, bytes, delay_s, batch] {
    sg4::this_actor::sleep_for(delay_s);
    if (first_start_s_ < 0)
      first_start_s_ = sg4::Engine::get_clock();
    pipe_->send(bytes);
    destination_.receive_san(*batch);  // where a LAN copy already arrived, it wins
  }));
}

void SanRestorer::wait()
{
  for (auto& actor : actors_)
    actor->join();
  actors_.clear();
}

double SanRestorer::rate_Bps(double now, double nominal_Bps) const
{
  const double done = bytes_moved();
  return done > 0 ? done / (now - first_start_s_) : nominal_Bps;
}

PageBitmap SanRestorer::requested_pages() const
{
  PageBitmap pages(page_count_);
  for (const auto& batch : batches_)
    pages |= *batch;
  return pages;
}

void SanRestorer::mark_restored(PageCache& cache)
{
  if (!pipe_)
    return;
  const auto arrived = static_cast<uint64_t>(pipe_->bytes_moved() / static_cast<double>(page_size_));
  while (marked_ < arrived && cursor_batch_ < batches_.size()) {
    const PageBitmap& batch = *batches_[cursor_batch_];
    for (cursor_page_ = batch.next(cursor_page_); cursor_page_ < batch.size() && marked_ < arrived;
         cursor_page_ = batch.next(cursor_page_ + 1)) {
      cache.mark_present(cursor_page_);
      ++marked_;
    }
    if (cursor_page_ == batch.size()) {
      ++cursor_batch_;
      cursor_page_ = 0;
    }
  }
}

}  // namespace migsim
