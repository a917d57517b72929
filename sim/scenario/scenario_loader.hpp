// Turns a scenario file (or the built-in default) plus command-line --set overrides into a validated
// Scenario. Every problem is a ScenarioError naming the file and JSON path; nothing is half-loaded.
#pragma once

#include "sim/scenario/scenario.hpp"

#include <string>
#include <vector>

namespace migsim {

/// The built-in default scenario (scenarios/default.json, compiled in).
nlohmann::json default_scenario_json();

/// Loads `path` ("" = the built-in default), sets `policy` if given (another policy starts from its
/// own default parameters), applies "/json/pointer=value" overrides in order, validates.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {},
                       const std::string& policy = "");

/// Validates a parsed document; `origin` names it in error messages.
Scenario parse_scenario(const nlohmann::json& document, const std::string& origin);

}  // namespace migsim
