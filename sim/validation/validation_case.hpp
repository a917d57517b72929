// One case of the validation suite, read from a sidecar file `NAME.validation.json` next to the
// scenario it runs (docs/validation.md describes the format). The scenario itself stays an ordinary
// scenario file, runnable with `migsim run`; the sidecar holds what the loader would reject: the
// source, the reference figures, how far off the simulation may be, and why.
//
// A case runs its scenario once per entry of `runs` (each with its own --set style overrides) and
// compares metrics of each run against a reference: a published figure, an analytic model computed
// from the run's own inputs, or SimGrid's live-migration plugin run live on the same platform.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace migsim {

enum class ReferenceKind { Published, Analytic, Plugin };

struct ValidationCheck {
  std::string metric;              ///< total_time, downtime, lan_bytes, round[0].bytes, ... (see metric_value)
  ReferenceKind against = ReferenceKind::Published;
  std::optional<double> expected;  ///< published: the figure in SI units (bytes, seconds)
  std::string display_unit;        ///< how to print values ("MiB", "s", "ms", ...); from the figure's text
  bool of_plugin = false;          ///< the plugin's own value is checked, not migsim's
  double relative_tolerance = 0;   ///< |sim - ref| <= relative x |ref| + absolute
  double absolute_tolerance = 0;
  bool calibrated = false;         ///< a workload parameter was chosen to match this figure
  std::string known_deviation;     ///< non-empty: migsim is known to miss it, and this says why
};

struct ValidationRun {
  std::string label;
  std::vector<std::string> overrides;  ///< "/json/pointer=value", applied to the scenario
  std::vector<ValidationCheck> checks;
};

/// SimGrid's live-migration plugin on an XML platform: `vms` idle VMs of `ram_bytes` each, started
/// at once from `source` to `destination`.
struct PluginSetup {
  std::string platform_file;
  std::string source;
  std::string destination;
  double ram_bytes = 0;
  int vms          = 1;
};

struct ValidationCase {
  std::string file;      ///< the sidecar
  std::string name;
  std::string title;
  std::string source;    ///< where the reference comes from
  std::string figures = "published";  ///< how the table names its figures: "published" or "measured" (testbed)
  std::string scenario_file;
  std::string model;     ///< analytic cases: which closed form (analytic_reference.hpp)
  std::optional<PluginSetup> plugin;
  std::vector<ValidationRun> runs;
};

/// Reads and checks a sidecar; every problem is a ScenarioError naming the file and the JSON path.
ValidationCase load_validation_case(const std::string& path);

/// Every `*.validation.json` in `dir` and its sub-folders, by path.
std::vector<std::string> find_validation_cases(const std::string& dir);

}  // namespace migsim
