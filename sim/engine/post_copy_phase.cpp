#include "sim/engine/post_copy_phase.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>

namespace sg4 = simgrid::s4u;

namespace migsim {

PostCopyPhase::PostCopyPhase(const std::string& name, const Scenario& s, const MigrationHosts& hosts,
                             RunningGuest& guest, DestinationMemory& destination, TransferPipe& lan, RunResult& result)
    : scenario_(s)
    , hosts_(hosts)
    , guest_(guest)
    , destination_(destination)
    , lan_(lan)
    , faults_(name + "-faults", hosts.destination, 1, UINT64_MAX, 0)
    , result_(result)
    , missing_(s.memory.page_count)
{
}

void PostCopyPhase::begin(const PageBitmap& restored)
{
  GuestMemory& memory = guest_.memory();
  missing_            = memory.dirty();
  memory.take_dirty(missing_);
  missing_.subtract(restored);
  memory.set_write_hook(&PostCopyPhase::on_guest_write, this);
}

void PostCopyPhase::on_guest_write(void* self, uint64_t page)
{
  auto* phase = static_cast<PostCopyPhase*>(self);
  if (phase->missing_.test(page)) {  // not at the destination yet: the guest faults on it
    phase->missing_.reset(page);
    phase->faulted_.push_back(page);
  }
}

void PostCopyPhase::run()
{
  GuestMemory& memory        = guest_.memory();
  const uint64_t page        = memory.page_size();
  const uint64_t chunk_pages = std::max<uint64_t>(1, static_cast<uint64_t>(scenario_.migration.chunk_bytes) / page);
  bool pushed                = false;
  sg4::ActorPtr pusher = sg4::Actor::create("post-copy-pusher", hosts_.source, [&] {
    for (uint64_t cursor = 0; cursor < memory.page_count();) {
      PageBitmap chunk(memory.page_count());
      uint64_t n = 0;
      for (; cursor < memory.page_count() && n < chunk_pages; ++cursor)
        if (missing_.test(cursor)) {
          missing_.reset(cursor);
          chunk.set(cursor);
          ++n;
        }
      if (n == 0)
        continue;
      // QEMU limits post-copy by max-postcopy-bandwidth only (0 = none), not by max-bandwidth.
      if (scenario_.migration.cap_final_copy)
        lan_.send(n * page);
      else
        lan_.send(n * page, 0);
      destination_.receive_lan(chunk);
      result_.lan_bytes += n * page;
    }
    pushed = true;
  });
  const double step = scenario_.io.step_s;
  while (!pushed || !faulted_.empty()) {
    sg4::this_actor::sleep_for(step);
    guest_.run_until(sg4::Engine::get_clock());
    serve_faults();
  }
  pusher->join();
  memory.set_write_hook(nullptr, nullptr);
}

void PostCopyPhase::serve_faults()
{
  if (faulted_.empty())
    return;
  const double t0 = sg4::Engine::get_clock();
  guest_.pause(t0);  // the vCPU waits for its pages
  const auto faults = faulted_.size();
  PageBitmap pages(guest_.memory().page_count());
  for (uint64_t p : faulted_)
    pages.set(p);
  faulted_.clear();
  // One request per fault (the round trip), the pages themselves sharing the LAN with the push.
  sg4::this_actor::sleep_for(static_cast<double>(faults) * 2 * hosts_.lan_latency_s);
  faults_.send(faults * guest_.memory().page_size());
  destination_.receive_lan(pages);
  result_.lan_bytes += faults * guest_.memory().page_size();
  result_.page_faults += faults;
  result_.fault_wait_s += sg4::Engine::get_clock() - t0;
  guest_.resume(sg4::Engine::get_clock());
}

}  // namespace migsim
