// A sweep file (docs/sweeps.md): a base scenario and how to vary it — a grid (cartesian product), a zip
// (lists in lock-step), seeded random samples, a list of policies and replications with a seed rule.
// Reading it checks the sweep's own structure only; SweepPlan expands it into runs and validates each
// run's scenario with the scenario loader. Every problem is a ScenarioError naming the file and the
// JSON path inside it.
#pragma once

#include "sim/scenario/policy_variant.hpp"
#include "sim/sweep/sweep_seed.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migsim {

/// One scenario setting (a JSON pointer into the scenario) and the values a sweep gives it.
struct SweptSetting {
  std::string pointer;
  std::vector<nlohmann::json> values;
  std::vector<std::string> sources;  ///< where each value is written in the sweep file, for error messages
};

/// A setting drawn uniformly from [min, max] (or log-uniformly), in SI base units.
struct RandomRange {
  std::string pointer;
  double min = 0;
  double max = 0;
  bool log     = false;
  bool integer = false;  ///< round each draw to the nearest integer
  std::string source;
  nlohmann::json min_given, max_given;  ///< the bounds as written: a unit string is checked against the setting's kind
};

struct SweepSpec {
  std::string file;          ///< the sweep file, as given
  std::string name;          ///< "name", or the file name without .json
  nlohmann::ordered_json document;  ///< the sweep file as written (key order kept), for provenance
  nlohmann::json base;       ///< the base scenario document
  std::string base_origin;   ///< where the base came from: its file, the sweep file (inline) or "built-in default"
  std::vector<SweptSetting> fixed;  ///< "set": one value each, applied to every run
  std::vector<SweptSetting> grid;
  std::vector<SweptSetting> zip;
  size_t random_samples = 0;
  uint64_t random_seed  = 1;
  std::vector<RandomRange> random;
  std::vector<PolicyVariant> policies;  ///< empty: each run keeps the base scenario's policy
  std::string policies_source;        ///< "/policies"
  uint64_t replications = 1;
  std::optional<uint64_t> base_seed;  ///< unset: the base scenario's /seed
  SeedRule seed_rule = SeedRule::SplitMix64;
};

/// Reads and checks a sweep file.
SweepSpec load_sweep_spec(const std::string& path);

/// Same from a parsed document; `file` names it in messages and anchors relative paths.
SweepSpec parse_sweep_spec(const nlohmann::ordered_json& document, const std::string& file);

}  // namespace migsim
