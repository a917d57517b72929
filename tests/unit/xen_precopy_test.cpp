// precopy's Xen 2.0 options in isolation: the dynamic rate limit of Clark et al. 2005 (first round at
// rate_first, then the last round's dirtying rate + rate_increment when that is higher, at most
// rate_max, never lowered; stop when at rate_max a round sent more than the one before) and the
// peek that skips pages written again during the round (Xen's scan order and batches).
#include "models/policies/policy_registry.hpp"
#include "models/xen_scan.hpp"
#include "tests/unit/planned_round.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace migsim;

namespace {

constexpr double page = 4096;

/// A 1000-page guest migrated by precopy with `params`; rounds are planned by hand.
struct Guest {
  GuestMemory memory{MemoryLayout{1000, 4096, 0, 0, 0}};
  MigrationLimits limits;
  std::unique_ptr<MigrationPolicy> policy;
  uint64_t lan_bytes = 0;

  explicit Guest(const PolicyParams& params)
  {
    limits.downtime_limit_s = 0;    // only the rate rule stops these migrations
    limits.max_bytes_factor = 100;
    policy = PolicyRegistry::instance().find("precopy").make(params);
  }
  PlannedRound plan(int round, double elapsed)
  {
    const PlannedRound p = flatten(policy->plan_round({memory, limits, round, elapsed, lan_bytes, 0, 0, 1e9, 0, 0}));
    memory.take_dirty(p.lan);
    lan_bytes += p.lan.count() * memory.page_size();
    return p;
  }
  void write_pages(uint64_t count)
  {
    for (uint64_t p = 0; p < count; ++p)
      memory.write(p);
  }
};

const PolicyParams clark = {{"rate_first", 100 * page}, {"rate_increment", 50 * page}, {"rate_max", 500 * page}};

}  // namespace

TEST_CASE("without rate options precopy sets no per-round cap and never skips")
{
  Guest g({});
  PlannedRound first = g.plan(0, 0);
  CHECK(first.rate_cap_Bps == 0);
  CHECK_FALSE(first.skip_rewritten);
}

TEST_CASE("the first round runs at rate_first; a faster dirtying rate raises the cap to it plus the increment")
{
  Guest g(clark);
  CHECK(g.plan(0, 0).rate_cap_Bps == 100 * page);
  g.write_pages(300);  // 300 pages in the 1 s the first round took: 300 pages/s > 100
  CHECK(g.plan(1, 1.0).rate_cap_Bps == doctest::Approx(350 * page));
}

TEST_CASE("a slower dirtying rate keeps the cap where it is (Xen never lowers it)")
{
  Guest g(clark);
  g.plan(0, 0);
  g.write_pages(300);
  g.plan(1, 1.0);      // now 350 pages/s
  g.write_pages(20);   // 20 pages in 1 s
  CHECK(g.plan(2, 2.0).rate_cap_Bps == doctest::Approx(350 * page));
}

TEST_CASE("the cap never exceeds rate_max")
{
  Guest g(clark);
  g.plan(0, 0);
  g.write_pages(900);  // 900 pages/s
  CHECK(g.plan(1, 1.0).rate_cap_Bps == doctest::Approx(500 * page));
}

TEST_CASE("at rate_max, a round that sent more than the one before ends pre-copy; the last round keeps the cap")
{
  Guest g(clark);
  g.plan(0, 0);        // 1000 pages
  g.write_pages(900);
  PlannedRound r1 = g.plan(1, 10.0);  // 900 pages in 10 s: 90 pages/s, below the cap: still 100 pages/s
  CHECK(r1.switchover == Switchover::None);
  CHECK(r1.rate_cap_Bps == doctest::Approx(100 * page));
  g.write_pages(800);
  PlannedRound r2 = g.plan(2, 11.0);  // 800 pages/s: cap 500 (max); sent 900 < 1000: go on
  CHECK(r2.switchover == Switchover::None);
  CHECK(r2.rate_cap_Bps == doctest::Approx(500 * page));
  g.write_pages(850);
  PlannedRound r3 = g.plan(3, 12.0);  // the round at the max sent 800 < 900: go on
  CHECK(r3.switchover == Switchover::None);
  g.write_pages(850);
  PlannedRound r4 = g.plan(4, 13.0);  // the round at the max sent 850 > 800: stop, still at 500
  CHECK(r4.switchover == Switchover::StopAndCopy);
  CHECK(r4.status == "ok");
  CHECK(r4.rate_cap_Bps == doctest::Approx(500 * page));
  CHECK_FALSE(r4.skip_rewritten);
}

TEST_CASE("skip_rewritten marks the live rounds only")
{
  Guest g({{"skip_rewritten", 1}});
  CHECK(g.plan(0, 0).skip_rewritten);
  g.write_pages(1);
  g.limits.downtime_limit_s = 1;  // one page fits: stop and copy, with the guest paused nothing is skipped
  PlannedRound last = g.plan(1, 1.0);
  CHECK(last.switchover == Switchover::StopAndCopy);
  CHECK_FALSE(last.skip_rewritten);
}

TEST_CASE("Xen's scan order visits every page once and spreads each batch over all of memory")
{
  for (uint64_t pages : {1000ULL, 4096ULL, 204800ULL, 131073ULL}) {
    CAPTURE(pages);
    std::set<uint64_t> seen;
    for (uint64_t i = 0; i < pages; ++i)
      seen.insert(xen_scan_order(i, pages));
    CHECK(seen.size() == pages);
    CHECK(*seen.rbegin() == pages - 1);
  }
  // 204800 pages (800 MiB): the first batch takes a page every 4 MiB, from all over memory
  std::set<uint64_t> slices;
  for (uint64_t i = 0; i < xen_batch_pages; ++i)
    slices.insert(xen_scan_order(i, 204800) * 256 / 204800);
  CHECK(slices.size() > 200);
}

TEST_CASE("the peek skips pages written again before their turn; they stay dirty for a later round")
{
  // 100 hot pages written 10000 times a second: all rewritten during the first batch (1 s)
  const DirtyingSpec hot{DirtyPattern::HotSet, 10000, 100.0 / 4096, 1.0, 1.0, {}, nullptr};
  RunningGuest guest(MemoryLayout{4096, 4096, 0, 0, 0}, hot, 1);
  PageBitmap round(4096, true);
  guest.memory().take_dirty(round);
  double clock = 0;
  std::vector<uint64_t> batches;
  const PageBitmap sent = send_skipping_rewritten(round, guest, [&] { return clock; }, [&](uint64_t bytes) {
    clock += 1;
    batches.push_back(bytes / 4096);
  });
  uint64_t hot_in_first_batch = 0;
  for (uint64_t i = 0; i < xen_batch_pages; ++i)
    hot_in_first_batch += xen_scan_order(i, 4096) < 100;
  CHECK(hot_in_first_batch > 0);
  CHECK(batches.front() == xen_batch_pages);  // nothing was written yet when the first batch was peeked
  CHECK(sent.count() == 3996 + hot_in_first_batch);
  PageBitmap unsent = round;
  unsent.subtract(sent);
  CHECK((unsent & guest.memory().dirty()).count() == unsent.count());  // every skipped page is dirty
}
