// A data centre's platform and plans against numbers worked out by hand (docs/datacentre.md, "How it
// was checked"). The VMs are idle 4 GiB guests with no page cache and nothing free, so pre-copy sends
// each byte once: alone over a 10 Gbit/s bottleneck a migration takes 2^32 B / 1.25e9 B/s = 3.436 s,
// plus the 10 ms resume and the route's latency (5 links of 5 us per chunk, under 1 ms in all).
#include "simulate.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace migsim;
using nlohmann::json;

namespace {

constexpr double gib4      = 4294967296.0;
constexpr double resume_s  = 0.01;
constexpr double uplink    = 1.25e9;   // 10 Gbit/s in B/s
constexpr double nic       = 3.125e9;  // 25 Gbit/s
// Latency and the last chunk's pipeline add at most this to a hand-worked time: 1 ms in 3.4 s is 0.03 %.
constexpr double slack_s = 1e-3;

json example(const std::string& name)
{
  std::ifstream in(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/examples/" + name + ".json");
  return json::parse(in);
}

RunResult run_example(const std::string& name)
{
  return simulate(parse_scenario(example(name), name + ".json"));
}

const RunResult& migration_of(const RunResult& plan, const std::string& vm)
{
  for (const auto& r : plan.vms)
    if (r.vm == vm)
      return r;
  FAIL("no migration of " << vm);
  return plan;
}

}  // namespace

TEST_CASE("two migrations through one rack's uplink at once each take twice their time alone")
{
  json alone_doc = example("datacentre_shared_uplink");
  alone_doc["plan"]["migrations"].erase(1);
  const RunResult alone = simulate(alone_doc);
  const double t1       = alone.vms.at(0).total_time_s;
  CHECK(t1 == doctest::Approx(gib4 / uplink + resume_s).epsilon(slack_s / 3.4));
  CHECK(alone.vms.at(0).bottleneck_link == "rack0-uplink_UP");

  const RunResult both = run_example("datacentre_shared_uplink");
  REQUIRE(both.vms.size() == 2);
  for (const auto& r : both.vms) {
    CHECK(r.status == "ok");
    CHECK(r.migration_start_s == 0);
    // max-min on the uplink: 1.25e9 / 2 each, NICs (25 Gbit/s) and spine (20 Gbit/s) not binding
    CHECK(r.total_time_s == doctest::Approx(gib4 / (uplink / 2) + resume_s).epsilon(slack_s / 6.9));
    CHECK(r.lan_bytes == 4294967296ULL);
  }
  CHECK(both.peak_concurrency == 2);
  CHECK(both.total_time_s == doctest::Approx(2 * t1 - resume_s).epsilon(slack_s / 6.9));
}

TEST_CASE("a migration after another starts when it ends and takes its time alone")
{
  const RunResult plan = run_example("datacentre_plan_after");
  const RunResult& a   = migration_of(plan, "a");
  const RunResult& b   = migration_of(plan, "b");
  CHECK(a.total_time_s == doctest::Approx(gib4 / uplink + resume_s).epsilon(slack_s / 3.4));
  CHECK(b.migration_start_s == a.migration_start_s + a.total_time_s);  // exactly: the plan reacts at once
  CHECK(b.total_time_s == doctest::Approx(a.total_time_s).epsilon(1e-9));
  CHECK(plan.peak_concurrency == 1);
  CHECK(plan.total_time_s == doctest::Approx(2 * a.total_time_s).epsilon(1e-9));
}

TEST_CASE("one migration per source host at a time runs them in order, and a rack-local one skips the uplink")
{
  const RunResult plan = run_example("datacentre_one_per_source");
  REQUIRE(plan.vms.size() == 3);
  const RunResult &a = plan.vms[0], &b = plan.vms[1], &c = plan.vms[2];
  CHECK(b.migration_start_s == a.migration_start_s + a.total_time_s);
  CHECK(c.migration_start_s == b.migration_start_s + b.total_time_s);
  CHECK(b.total_time_s == doctest::Approx(a.total_time_s).epsilon(1e-9));
  CHECK(c.total_time_s == doctest::Approx(gib4 / nic + resume_s).epsilon(slack_s / 1.38));  // NIC to NIC
  CHECK(c.bottleneck_link == "rack0-host0-nic_UP");
  CHECK(plan.peak_concurrency == 1);
  // Energy by hand (plan_energy.hpp): rack0-host0 holds 12, 8, 4 of 16 cores until each VM leaves, then is
  // switched off; the others idle at 100 W and draw 125 W once a 4-core VM has arrived.
  const double t1 = a.total_time_s, t2 = t1 + b.total_time_s, end = t2 + c.total_time_s;
  const double expected = 175 * t1 + 150 * (t2 - t1) + 125 * (end - t2)  // rack0-host0
                          + 100 * end                                    // rack0-host1: c arrives at the end
                          + 100 * t1 + 125 * (end - t1)                  // rack1-host0
                          + 100 * t2 + 125 * (end - t2);                 // rack1-host1
  CHECK(plan.energy_j == doctest::Approx(expected).epsilon(1e-9));
  CHECK(plan.hosts_on_end == 3);
}

TEST_CASE("NICs and uplinks are full duplex: a VM leaving a host does not slow one arriving")
{
  json doc = example("datacentre_shared_uplink");
  doc["vms"] = json::parse(R"([{"name": "out", "host": "rack0-host0"}, {"name": "in", "host": "rack1-host0"}])");
  doc["plan"]["migrations"] = json::parse(R"([{"vm": "out", "to": "rack1-host1"}, {"vm": "in", "to": "rack0-host0"}])");
  const RunResult plan = simulate(doc);
  for (const auto& r : plan.vms)  // opposite directions of the uplinks; the spine (20 Gbit/s) carries both
    CHECK(r.total_time_s == doctest::Approx(gib4 / uplink + resume_s).epsilon(slack_s / 3.4));
}

TEST_CASE("an oversubscribed spine is shared by every rack's traffic")
{
  json doc = example("datacentre_shared_uplink");
  doc["datacentre"]["racks"][0]["count"] = 4;
  doc["datacentre"]["spine"] = {{"bandwidth", "10Gbps"}};  // 40 Gbit/s of uplinks, 4:1
  doc["vms"] = json::parse(R"([{"name": "a", "host": "rack0-host0"}, {"name": "b", "host": "rack2-host0"}])");
  doc["plan"]["migrations"] = json::parse(R"([{"vm": "a", "to": "rack1-host0"}, {"vm": "b", "to": "rack3-host0"}])");
  const RunResult plan = simulate(doc);
  for (const auto& r : plan.vms)  // different uplinks, one spine of 10 Gbit/s: half of it each
    CHECK(r.total_time_s == doctest::Approx(gib4 / (uplink / 2) + resume_s).epsilon(slack_s / 6.9));
}

TEST_CASE("a migration waits for memory room at its destination until a VM has left it")
{
  json doc = example("datacentre_shared_uplink");
  doc["datacentre"]["racks"][0]["host"]["memory"] = "8GiB";
  // rack1-host0 holds two 4 GiB VMs; "x" may arrive only once "y" has gone
  doc["vms"] = json::parse(R"([{"name": "x", "host": "rack0-host0"}, {"name": "y", "host": "rack1-host0"},
                               {"name": "z", "host": "rack1-host0"}])");
  doc["plan"]["migrations"] = json::parse(R"([{"vm": "x", "to": "rack1-host0"}, {"vm": "y", "to": "rack1-host1"}])");
  const RunResult plan = simulate(doc);
  const RunResult& x   = migration_of(plan, "x");
  const RunResult& y   = migration_of(plan, "y");
  CHECK(y.migration_start_s == 0);
  CHECK(x.migration_start_s == y.migration_start_s + y.total_time_s);
  CHECK(x.status == "ok");
}
