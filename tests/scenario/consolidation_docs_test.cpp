// docs/consolidation.md states every consolidation policy's parameters with the defaults and bounds
// the policy declares, in the policy's row of the policies table: "`name` (default, [min, max])".
#include "models/consolidation/consolidation_registry.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>

using namespace migsim;

namespace {

std::string number(double x)
{
  char text[32];
  std::snprintf(text, sizeof text, "%g", x);
  return text;
}

/// The line of the table row of `policy` in docs/consolidation.md; empty if none.
std::string policy_row(const std::string& policy)
{
  std::ifstream in(std::string(MIGSIM_SOURCE_DIR) + "/docs/consolidation.md");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("| `" + policy + "` |", 0) == 0)
      return line;
  return "";
}

}  // namespace

TEST_CASE("docs/consolidation.md gives every consolidation policy's parameters with default and bounds")
{
  for (const auto& policy : ConsolidationRegistry::instance().all()) {
    const std::string row = policy_row(policy.name);
    INFO("policy " << policy.name);
    REQUIRE_FALSE(row.empty());
    for (const auto& p : policy.params) {
      const std::string unit = p.unit ? " s" : "";
      const std::string cell = "`" + p.name + "` (" + number(p.default_value) + unit + ", [" + number(p.min) + ", " + number(p.max) + "])";
      INFO("expected " << cell);
      CHECK(row.find(cell) != std::string::npos);
    }
  }
}
