// The ledger's accounting, checked against sums done by hand on two hosts with linear power curves.
#include "models/consolidation/consolidation_ledger.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

using namespace migsim;

namespace {

HostState host(double idle_W, double max_W)
{
  HostState h;
  h.cores        = 1;
  h.core_mips    = 1000;
  h.memory_bytes = 4e9;
  std::array<double, PowerCurve::points> w{};
  for (int i = 0; i < PowerCurve::points; ++i)
    w[static_cast<size_t>(i)] = idle_W + (max_W - idle_W) * i / 10.0;
  h.power = PowerCurve(w);
  return h;
}

VmState vm_on(int h)
{
  VmState v;
  v.host = h;
  v.mips = 1000;
  return v;
}

}  // namespace

TEST_CASE("a migrating VM loads its source until it ends; the emptied host then switches off")
{
  ConsolidationLedger ledger({host(100, 200), host(100, 200)}, {vm_on(0), vm_on(1)}, 0.1);
  CHECK(ledger.active_hosts() == 2);
  ledger.set_demand(0, 0, 500, 30);   // host 0 at 50 %: 150 W
  ledger.set_demand(0, 1, 250, 30);   // host 1 at 25 %: 125 W
  ledger.migration_started(0, 1, 0);  // VM 1 leaves host 1 for host 0
  ledger.switch_off_when_empty(0, 1);
  CHECK(ledger.active_hosts() == 2);  // VM 1 is still there
  CHECK(ledger.power_W() == doctest::Approx(275));
  ledger.migration_ended(100, 1);     // from now on host 0 at 75 %: 175 W; host 1 off
  CHECK(ledger.active_hosts() == 1);
  CHECK(ledger.vms()[1].host == 0);
  CHECK(ledger.shutdowns() == 1);
  ledger.close(300);
  ledger.set_demand(400, 0, 1000, 30);  // after close: not accounted
  const ConsolidationSummary s = ledger.summary();
  CHECK(s.migrations == 1);
  // (150 + 125) W x 100 s + 175 W x 200 s = 62,500 J
  CHECK(s.energy_kwh == doctest::Approx(62500 / 3.6e6));
  CHECK(s.slatah == 0);
  // VM 1: 10 % of 250 MIPS x 100 s degraded out of 250 x 300 requested; VM 0: none. PDM is their mean.
  CHECK(s.pdm == doctest::Approx((0.1 * 100 / 300) / 2));
}

TEST_CASE("a host asked for all of its CPU counts as saturated (SLATAH), and its history is bounded")
{
  ConsolidationLedger ledger({host(100, 200)}, {vm_on(0)}, 0.1);
  ledger.set_demand(0, 0, 1000, 2);
  ledger.set_demand(50, 0, 400, 2);
  ledger.set_demand(60, 0, 300, 2);
  CHECK(ledger.vms()[0].demand_mips == std::vector<double>{400, 300});
  ledger.close(100);
  CHECK(ledger.summary().slatah == doctest::Approx(0.5));
  CHECK_THROWS_AS(ConsolidationLedger({host(1, 2)}, {VmState{}}, 0.1), std::invalid_argument);
}
