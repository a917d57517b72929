// One simulation in its own process (SimGrid allows one engine per process); any error fails the test.
#pragma once

#include "sim/engine/isolated_run.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <doctest/doctest.h>

inline migsim::RunResult simulate(const migsim::Scenario& scenario)
{
  auto outcomes = migsim::run_isolated({scenario}, 1);
  REQUIRE(outcomes[0].internal_error == "");
  REQUIRE(outcomes[0].input_error == "");
  return *outcomes[0].result;
}

inline migsim::RunResult simulate(const nlohmann::json& document)
{
  return simulate(migsim::parse_scenario(document, "test"));
}
