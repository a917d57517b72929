// The decisions behind precopy's QEMU options, in isolation: auto-converge, page encodings,
// downtime stepping and the switch to post-copy on stall.
#include "models/auto_converge.hpp"
#include "models/page_encoding.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/policies/precopy_policy.hpp"
#include "models/policies/qemu_options_policy.hpp"
#include "tests/unit/planned_round.hpp"

#include <doctest/doctest.h>

using namespace migsim;

namespace {

struct Guest {
  GuestMemory memory;
  MigrationLimits limits;
  std::unique_ptr<MigrationPolicy> policy;
  PageEncoding encoding;
  uint64_t lan_bytes = 0;

  Guest(const PolicyParams& params, double free_share = 0)
      : memory(MemoryLayout{1000, 4096, 0, 0, free_share}), encoding(PageEncodingSettings::from(params))
  {
    policy = PolicyRegistry::instance().find("precopy").make(params);
  }
  /// Plans round `round` at migration time `elapsed`, then, as the simulator does, encodes its LAN
  /// pages, carries out its page-set changes (drops, dirty sync) and counts its LAN bytes.
  PlannedRound plan(int round, double elapsed, double lan_Bps = 1e6)
  {
    RoundPlan decided      = policy->plan_round({memory, limits, round, elapsed, lan_bytes, 0, 0, lan_Bps, 0, 0});
    const LanEncoding wire = encoding.apply(memory, decided);
    const PlannedRound p   = flatten(decided, wire);
    p.drop.for_each([&](uint64_t page) { memory.drop(page); });
    memory.take_dirty(p.drop | p.lan | p.san);
    lan_bytes += p.lan_wire_bytes.value_or(p.lan.count() * memory.page_size());
    return p;
  }
  void write_pages(uint64_t first, uint64_t last)
  {
    for (uint64_t p = first; p < last; ++p)
      memory.write(p);
  }
};

void check_throttles(const std::vector<double>& actual, const std::vector<double>& expected)
{
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    CAPTURE(i);
    CHECK(actual[i] == doctest::Approx(expected[i]));
  }
}

}  // namespace

TEST_CASE("with every option off, precopy is the plain policy: no wrapper, no throttle, no encoding")
{
  Guest g({});
  CHECK(dynamic_cast<PrecopyPolicy*>(g.policy.get()) != nullptr);
  PlannedRound first = g.plan(0, 0);
  CHECK(first.throttle == 0);
  CHECK(!first.lan_wire_bytes.has_value());
  CHECK(first.cpu_s == 0);
}

TEST_CASE("auto-converge: 20 % at the second period that dirties more than half of what it sent, then +10 %")
{
  AutoConverge ac({});
  std::vector<double> throttles;
  for (int period = 1; period <= 8; ++period)
    throttles.push_back(ac.on_sync(2.0 * period, 600, 1000));  // 2 s periods, 60 % dirtied
  check_throttles(throttles, {0, 0.2, 0.2, 0.3, 0.3, 0.4, 0.4, 0.5});
}

TEST_CASE("auto-converge stops at max_cpu_throttle (99 %)")
{
  AutoConverge ac({});
  double t = 0;
  for (int period = 1; period <= 40; ++period)
    t = ac.on_sync(2.0 * period, 1000, 1000);
  CHECK(t == doctest::Approx(0.99));
  AutoConverge capped({0.2, 0.1, 0.45, 0.5});
  for (int period = 1; period <= 40; ++period)
    t = capped.on_sync(2.0 * period, 1000, 1000);
  CHECK(t == doctest::Approx(0.45));
}

TEST_CASE("auto-converge never throttles a guest whose dirtying stays at or below the trigger")
{
  AutoConverge ac({});
  for (int period = 1; period <= 20; ++period)
    CHECK(ac.on_sync(2.0 * period, 500, 1000) == 0);  // exactly 50 %: not more than the threshold
}

TEST_CASE("auto-converge evaluates periods longer than 1 s; shorter syncs add up (QEMU's bitmap-sync rule)")
{
  AutoConverge ac({});
  ac.on_sync(0.4, 600, 1000);
  ac.on_sync(0.8, 600, 1000);
  CHECK(ac.steps() == 0);
  ac.on_sync(1.2, 600, 1000);  // first evaluated period: 0 .. 1.2 s
  ac.on_sync(2.0, 0, 1000);    // 0.8 s: not evaluated yet
  CHECK(ac.on_sync(2.5, 2000, 1000) == doctest::Approx(0.2));  // 1.3 s period, 2000 of 2000 dirtied: second high one
}

TEST_CASE("auto-converge counts high periods since the last step, not only consecutive ones (as QEMU does)")
{
  AutoConverge ac({});
  ac.on_sync(2, 900, 1000);
  ac.on_sync(4, 100, 1000);  // a low period in between does not reset the count
  CHECK(ac.on_sync(6, 900, 1000) == doctest::Approx(0.2));
}

TEST_CASE("precopy with auto_converge puts the throttle into the plans of a guest that dirties everything")
{
  Guest g({{"auto_converge", 1}});
  g.limits.max_bytes_factor = 1000;
  std::vector<double> throttles;
  for (int round = 0; round < 6; ++round) {
    PlannedRound p = g.plan(round, 2.0 * round);
    throttles.push_back(p.throttle);
    g.write_pages(0, 1000);  // every page, every round: dirtied = sent
  }
  // rounds 1 and 2 end high periods (the sync before round 2 triggers), rounds 3 and 4 the next step
  check_throttles(throttles, {0, 0, 0.2, 0.2, 0.3, 0.3});
}

TEST_CASE("zero page detection: a free page costs zero_page_bytes")
{
  Guest g({{"zero_page_detection", 1}, {"zero_page_bytes", 8}}, 0.25);
  PlannedRound first = g.plan(0, 0);
  CHECK(first.lan.count() == 1000);
  CHECK(first.lan_wire_bytes == 750 * 4096 + 250 * 8);
}

TEST_CASE("free page hinting: free pages are not sent at all and are no longer dirty")
{
  Guest g({{"free_page_hinting", 1}}, 0.25);
  PlannedRound first = g.plan(0, 0);
  CHECK(first.lan.count() == 750);
  CHECK(first.drop.count() == 250);
  CHECK(first.lan_wire_bytes == 750 * 4096);
  CHECK(g.memory.dirty_count() == 0);
}

TEST_CASE("xbzrle: a page sent before costs hit x ratio x page + (1 - hit) x page, plus CPU per page")
{
  Guest g({{"xbzrle", 1}, {"xbzrle_hit_ratio", 0.8}, {"xbzrle_compression_ratio", 0.25}, {"xbzrle_cpu_per_page", 2e-6}});
  PlannedRound first = g.plan(0, 0);
  CHECK(first.lan_wire_bytes == 1000 * 4096);  // nothing was sent before: whole pages
  CHECK(first.cpu_s == 0);
  g.write_pages(0, 100);
  PlannedRound second = g.plan(1, 5);
  CHECK(second.lan.count() == 100);
  CHECK(second.lan_wire_bytes == 100 * 4096 * (0.8 * 0.25 + 0.2));
  CHECK(second.cpu_s == doctest::Approx(100 * 2e-6));
}

TEST_CASE("xbzrle with a hit ratio of 0 sends whole pages; with ratio 1 and hits 1 as well")
{
  for (auto [hit, ratio] : {std::pair{0.0, 0.25}, {1.0, 1.0}}) {
    Guest g({{"xbzrle", 1}, {"xbzrle_hit_ratio", hit}, {"xbzrle_compression_ratio", ratio}});
    g.plan(0, 0);
    g.write_pages(0, 100);
    CHECK(g.plan(1, 5).lan_wire_bytes == 100 * 4096);
  }
}

TEST_CASE("downtime stepping: the limit rises by downtime_step per round after downtime_step_after rounds")
{
  QemuOptions o;
  o.downtime_step_s     = 0.1;
  o.downtime_step_after = 3;
  CHECK(stepped_downtime_limit(o, 0.3, 0) == doctest::Approx(0.3));
  CHECK(stepped_downtime_limit(o, 0.3, 3) == doctest::Approx(0.3));
  CHECK(stepped_downtime_limit(o, 0.3, 4) == doctest::Approx(0.4));
  CHECK(stepped_downtime_limit(o, 0.3, 7) == doctest::Approx(0.7));
}

TEST_CASE("downtime stepping lets pre-copy stop once the raised limit covers what remains")
{
  // 200 pages (819200 B) remain every round; at 1 MB/s they fit 0.82 s of downtime: round 3 + 6 steps of 0.1 s
  Guest g({{"downtime_step", 0.1}, {"downtime_step_after", 3}});
  g.limits.max_bytes_factor = 1000;
  g.plan(0, 0);
  int stopped_at = -1;
  for (int round = 1; round < 20 && stopped_at < 0; ++round) {
    g.write_pages(0, 200);
    if (g.plan(round, round).switchover == Switchover::StopAndCopy)
      stopped_at = round;
  }
  CHECK(stopped_at == 9);  // 0.3 + 0.1 x (9 - 3) = 0.9 s >= 0.8192 s; round 8 allows 0.8 s only
  Guest plain({});
  plain.limits.max_bytes_factor = 1000;
  plain.plan(0, 0);
  plain.write_pages(0, 200);
  CHECK(plain.plan(1, 1).switchover == Switchover::None);
}

TEST_CASE("postcopy_on_stall: what remains did not shrink for 2 rounds, so switch to post-copy at once")
{
  Guest g({{"postcopy_on_stall", 1}});
  g.limits.max_bytes_factor = 1000;
  g.plan(0, 0);  // 1000 pages
  g.write_pages(0, 1000);
  CHECK(g.plan(1, 1).switchover == Switchover::None);  // 1000 again: flat once
  g.write_pages(0, 1000);
  PlannedRound third = g.plan(2, 2);  // flat twice
  CHECK(third.switchover == Switchover::PostCopy);
  CHECK(third.lan.none());
  CHECK(third.status == "ok");
  CHECK(g.memory.dirty_count() == 1000);  // left for the post-copy phase
}

TEST_CASE("postcopy_on_stall waits while what remains shrinks, and is off by default")
{
  Guest g({{"postcopy_on_stall", 1}});
  g.limits.max_bytes_factor = 1000;
  g.plan(0, 0);
  for (int round = 1; round < 6; ++round) {
    g.write_pages(0, 900 - 100 * round);
    CHECK(g.plan(round, round).switchover == Switchover::None);
  }
  Guest off({});
  off.limits.max_bytes_factor = 1000;
  for (int round = 0; round < 5; ++round) {
    CHECK(off.plan(round, round).switchover == Switchover::None);
    off.write_pages(0, 1000);
  }
}

TEST_CASE("precopy lists its QEMU options with QEMU's defaults")
{
  const PolicyDeclaration& info = PolicyRegistry::instance().find("precopy");
  auto spec = [&](const std::string& name) {
    for (const auto& p : info.params)
      if (p.name == name)
        return p;
    FAIL("no parameter " << name);
    return ParamSpec{};
  };
  CHECK(spec("auto_converge").default_value == 0);
  CHECK(spec("cpu_throttle_initial").default_value == doctest::Approx(0.2));
  CHECK(spec("cpu_throttle_increment").default_value == doctest::Approx(0.1));
  CHECK(spec("max_cpu_throttle").default_value == doctest::Approx(0.99));
  CHECK(spec("throttle_trigger_threshold").default_value == doctest::Approx(0.5));
  for (const char* flag : {"zero_page_detection", "free_page_hinting", "xbzrle", "postcopy_on_stall"})
    CHECK(spec(flag).default_value == 0);
  CHECK(spec("downtime_step").default_value == 0);
}
