// The validation suite: runs every case in a folder (scenarios/validation/ by default) and compares
// what migsim simulates with published measurements, closed forms and SimGrid's own live-migration
// plugin, one row per check. Every simulation runs in its own process (run_isolated), `jobs` at once;
// the plugin runs alongside in forked children.
//
// Verdicts: pass (within the stated tolerance), FAIL, or known (outside the tolerance, and the case
// file says why: a documented limit of the model, never a widened tolerance). Rows whose figure was
// used to choose a workload parameter are marked "calibrated": they pass by construction and are not
// evidence. The suite passes when no row is FAIL.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace migsim {

enum class Verdict { Pass, Fail, Known, Error };

struct CheckRow {
  std::string case_name;
  std::string run;
  std::string metric;
  std::string reference;  ///< published, model or plugin
  std::string expected;   ///< formatted, with its unit
  std::string simulated;  ///< formatted; for checks of the plugin itself, the plugin's value
  std::string error;      ///< relative (%) or absolute when the reference is 0
  std::string tolerance;
  Verdict verdict = Verdict::Pass;
  std::string note;       ///< calibrated, known deviation, or what went wrong
};

struct SuiteReport {
  int cases       = 0;
  int simulations = 0;
  int plugin_runs = 0;
  std::vector<CheckRow> rows;
  std::vector<std::string> warnings;
};

/// Runs the cases in `dir` (only those named in `only`, when not empty).
/// Throws ScenarioError for a bad case or scenario file (nothing is run then).
SuiteReport run_validation_suite(const std::string& dir, const std::vector<std::string>& only, int jobs);

void print_validation_table(const SuiteReport& report, std::FILE* out);

/// 0: every row pass, known or calibrated; 3: some row FAIL; 1: a simulation could not run (ERROR).
int validation_exit_status(const SuiteReport& report);

}  // namespace migsim
