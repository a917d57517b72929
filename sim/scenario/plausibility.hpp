// Values that load fine but are probably a mistake: a bare number is SI (seconds, bytes, bytes/s), so
// `"downtime_limit": 300` means 300 s, not 300 ms. One table (plausibility.cpp) gives each key its
// plausible range; docs/scenario.md ("Implausible values") lists the same. A separate pass over the
// loaded scenario, so the loader stays about what is valid; `run` and `validate` print the warnings.
#pragma once

#include <string>
#include <vector>

namespace migsim {

struct Scenario;

struct PlausibilityWarning {
  std::string path;     ///< JSON pointer of the value
  std::string message;  ///< what it means and the plausible range
};

/// The scenario's values outside their key's plausible range, in table order.
std::vector<PlausibilityWarning> implausible_values(const Scenario& scenario);

/// Prints each one to stderr: "migsim: warning: FILE: /json/path: ...".
void print_plausibility_warnings(const Scenario& scenario);

}  // namespace migsim
