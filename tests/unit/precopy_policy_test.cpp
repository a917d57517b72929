#include "models/policies/policy_registry.hpp"
#include "tests/unit/planned_round.hpp"

#include <doctest/doctest.h>

using namespace migsim;

namespace {
struct Fixture {
  MemoryLayout layout{1000, 4096, 0, 0, 0};
  GuestMemory memory{layout};
  MigrationLimits limits;
  std::unique_ptr<MigrationPolicy> policy;
  Fixture()
  {
    policy = PolicyRegistry::instance().find("precopy").make({});
  }
  PlannedRound plan(int round, double lan_Bps, uint64_t lan_bytes = 0, double elapsed = 1)
  {
    return flatten(policy->plan_round({memory, limits, round, elapsed, lan_bytes, 0, 0, lan_Bps, 0, 0}));
  }
};
}  // namespace

TEST_CASE("precopy sends all memory first, then what was dirtied")
{
  Fixture f;
  PlannedRound first = f.plan(0, 1e6);
  CHECK(first.lan.count() == 1000);
  CHECK(first.switchover == Switchover::None);
  f.memory.take_dirty(first.lan);
  for (uint64_t p = 0; p < 400; ++p)
    f.memory.write(p);
  PlannedRound second = f.plan(1, 1e6);
  CHECK(second.lan.count() == 400);
  CHECK(second.san.none());
  CHECK(second.drop.none());
}

TEST_CASE("precopy stops when the rest fits the downtime limit at the measured rate")
{
  Fixture f;
  f.memory.take_dirty(PageBitmap(1000, true));
  for (uint64_t p = 0; p < 70; ++p)
    f.memory.write(p);  // 70 pages = 286720 bytes
  f.limits.downtime_limit_s = 0.3;
  CHECK(f.plan(1, 1e6).switchover == Switchover::StopAndCopy);  // 300000 bytes fit in 0.3 s
  CHECK(f.plan(1, 0.9e6).switchover == Switchover::None);       // 270000 do not
}

TEST_CASE("precopy names the limit that forced the stop")
{
  Fixture f;
  f.limits.max_rounds = 5;
  CHECK(f.plan(5, 1.0).status == "round_limit");
  CHECK(f.plan(2, 1.0, 3 * 4096000).status == "byte_limit");
  CHECK(f.plan(2, 1.0, 0, 4000).status == "time_limit");
  CHECK(f.plan(2, 1.0).switchover == Switchover::None);
}

TEST_CASE("an unknown policy lists the valid ones")
{
  CHECK_THROWS_WITH_AS(PolicyRegistry::instance().find("pre-copy"), doctest::Contains("valid policies are: precopy"),
                       UnknownPolicy);
}
