#include "sim/validation/validation_suite.hpp"

#include "sim/validation/analytic_reference.hpp"
#include "sim/engine/isolated_run.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/validation/simgrid_plugin_reference.hpp"
#include "sim/scenario/whole_number.hpp"
#include "sim/validation/validation_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>

namespace migsim {
namespace {

struct PlannedRun {
  const ValidationCase* c;
  const ValidationRun* run;
  size_t scenario;  // index into the scenarios run
};

/// The plugin's value of `metric`: it reports each VM's migration time, nothing else.
std::optional<double> plugin_metric(const std::vector<double>& seconds, const std::string& metric)
{
  if (metric == "total_time")
    return seconds.at(0);
  const std::string suffix = "].total_time";
  if (metric.rfind("vm[", 0) != 0 || metric.size() <= 3 + suffix.size() ||
      metric.compare(metric.size() - suffix.size(), suffix.size(), suffix) != 0)
    return std::nullopt;
  const std::string index = metric.substr(3, metric.size() - 3 - suffix.size());
  const auto k = parse_whole_number(index);
  return k && *k < seconds.size() ? std::optional<double>(seconds[*k]) : std::nullopt;
}

std::string percent(double fraction)
{
  char text[32];
  std::snprintf(text, sizeof text, "%+.2f%%", fraction * 100);
  return text;
}

std::string tolerance_text(const ValidationCheck& c)
{
  std::string text;
  if (c.relative_tolerance > 0 || c.absolute_tolerance == 0) {
    char pct[32];
    std::snprintf(pct, sizeof pct, "%g%%", c.relative_tolerance * 100);
    text = std::string("±") + pct;
  }
  if (c.absolute_tolerance > 0)
    text += (text.empty() ? "±" : " +") + format_in_unit(c.absolute_tolerance, c.display_unit);
  return text;
}

CheckRow evaluate(const PlannedRun& p, const ValidationCheck& check, const Scenario& scenario, const RunOutcome& outcome,
                  const std::vector<double>* plugin)
{
  CheckRow row;
  row.case_name = p.c->name;
  row.run       = p.run->label.empty() ? "-" : p.run->label;
  row.metric    = (check.of_plugin ? "plugin " : "") + check.metric;
  row.reference = check.against == ReferenceKind::Published ? p.c->figures
                  : check.against == ReferenceKind::Analytic ? "model"
                                                              : "plugin";
  row.tolerance = tolerance_text(check);
  const auto error_row = [&](const std::string& why) {
    row.verdict = Verdict::Error;
    row.note    = why;
    return row;
  };
  if (!outcome.result)
    return error_row(outcome.internal_error.empty() ? outcome.input_error : outcome.internal_error);
  if ((check.of_plugin || check.against == ReferenceKind::Plugin) && !plugin)
    return error_row("SimGrid's plugin did not run");

  std::optional<double> simulated =
      check.of_plugin ? plugin_metric(*plugin, check.metric) : metric_value(*outcome.result, check.metric);
  if (!simulated)
    return error_row("the run has no " + check.metric);
  std::optional<double> expected = check.expected;
  if (check.against == ReferenceKind::Analytic) {
    const auto model = analytic_reference(p.c->model, scenario, *outcome.result);
    const auto it    = model.find(check.metric);
    if (it == model.end())
      return error_row("model " + p.c->model + " gives no " + check.metric);
    expected = it->second;
  } else if (check.against == ReferenceKind::Plugin) {
    expected = plugin_metric(*plugin, check.metric);
    if (!expected)
      return error_row("the plugin reports migration times only");
  }
  const double diff = *simulated - *expected;
  row.expected      = format_in_unit(*expected, check.display_unit);
  row.simulated     = format_in_unit(*simulated, check.display_unit);
  row.error         = *expected != 0 ? percent(diff / std::fabs(*expected)) : format_in_unit(diff, check.display_unit);
  const double allowed = check.relative_tolerance * std::fabs(*expected) + check.absolute_tolerance;
  const bool within    = std::fabs(diff) <= allowed * (1 + 1e-12);
  row.verdict          = within ? Verdict::Pass : check.known_deviation.empty() ? Verdict::Fail : Verdict::Known;
  if (check.calibrated)
    row.note = "calibrated";
  if (!check.known_deviation.empty())
    row.note = row.note.empty() ? "known deviation" : row.note + ", known deviation";
  return row;
}

const char* verdict_text(Verdict v)
{
  switch (v) {
    case Verdict::Pass:
      return "pass";
    case Verdict::Fail:
      return "FAIL";
    case Verdict::Known:
      return "known";
    default:
      return "ERROR";
  }
}

}  // namespace

SuiteReport run_validation_suite(const std::string& dir, const std::vector<std::string>& only, int jobs)
{
  std::vector<ValidationCase> cases;
  for (const std::string& file : find_validation_cases(dir)) {
    ValidationCase c = load_validation_case(file);
    if (only.empty() || std::find(only.begin(), only.end(), c.name) != only.end())
      cases.push_back(std::move(c));
  }
  for (const std::string& name : only)
    if (std::none_of(cases.begin(), cases.end(), [&](const ValidationCase& c) { return c.name == name; }))
      throw ScenarioError(dir, "", "no validation case named \"" + name + "\"");
  if (cases.empty())
    throw ScenarioError(dir, "", "no *.validation.json case files here");

  // Load every scenario first: a bad file stops the suite before anything runs.
  std::vector<Scenario> scenarios;
  std::vector<PlannedRun> planned;
  for (const ValidationCase& c : cases) {
    if (!c.model.empty())
      try {
        analytic_reference(c.model, load_scenario(c.scenario_file), RunResult{});
      } catch (const std::invalid_argument& e) {
        throw ScenarioError(c.file, "/model", e.what());
      }
    for (const ValidationRun& run : c.runs) {
      planned.push_back({&c, &run, scenarios.size()});
      scenarios.push_back(load_scenario(c.scenario_file, run.overrides));
    }
  }

  std::map<const ValidationCase*, PluginRun> plugin_runs;
  for (const ValidationCase& c : cases)
    if (c.plugin)
      plugin_runs[&c] = start_plugin_migration(*c.plugin);
  const std::vector<RunOutcome> outcomes = run_isolated(scenarios, jobs);
  std::map<const ValidationCase*, std::vector<double>> plugin_seconds;
  SuiteReport report;
  for (const auto& [c, run] : plugin_runs) {
    try {
      plugin_seconds[c] = finish_plugin_migration(run);
    } catch (const std::runtime_error& e) {
      report.warnings.push_back(c->name + ": " + e.what());
    }
  }

  report.cases       = static_cast<int>(cases.size());
  report.simulations = static_cast<int>(scenarios.size());
  report.plugin_runs = static_cast<int>(plugin_runs.size());
  for (const PlannedRun& p : planned) {
    const auto it = plugin_seconds.find(p.c);
    for (const ValidationCheck& check : p.run->checks) {
      report.rows.push_back(evaluate(p, check, scenarios[p.scenario], outcomes[p.scenario],
                                     it == plugin_seconds.end() ? nullptr : &it->second));
      const CheckRow& row = report.rows.back();
      if (row.verdict == Verdict::Pass && !check.known_deviation.empty())
        report.warnings.push_back(row.case_name + " " + row.run + " " + row.metric +
                                  " is marked as a known deviation but is within its tolerance");
    }
  }
  return report;
}

void print_validation_table(const SuiteReport& report, std::FILE* out)
{
  const char* format = "%-30s %-17s %-24s %-9s %14s %14s %9s %11s %-6s %s\n";
  std::fprintf(out, format, "case", "run", "metric", "reference", "expected", "simulated", "error", "tolerance",
               "result", "note");
  int pass = 0, fail = 0, known = 0, error = 0, calibrated = 0;
  for (const CheckRow& r : report.rows) {
    std::fprintf(out, format, r.case_name.c_str(), r.run.c_str(), r.metric.c_str(), r.reference.c_str(),
                 r.expected.c_str(), r.simulated.c_str(), r.error.c_str(), r.tolerance.c_str(), verdict_text(r.verdict),
                 r.note.c_str());
    (r.verdict == Verdict::Pass ? pass : r.verdict == Verdict::Fail ? fail : r.verdict == Verdict::Known ? known : error)++;
    calibrated += r.verdict == Verdict::Pass && r.note.rfind("calibrated", 0) == 0;
  }
  std::fprintf(out, "\n%d cases, %d simulations, %d plugin runs; %zu checks: %d pass (%d of them calibrated), "
                    "%d known deviations, %d FAIL, %d ERROR\n",
               report.cases, report.simulations, report.plugin_runs, report.rows.size(), pass, calibrated, known, fail,
               error);
  for (const std::string& w : report.warnings)
    std::fprintf(out, "warning: %s\n", w.c_str());
}

int validation_exit_status(const SuiteReport& report)
{
  bool failed = false;
  for (const CheckRow& r : report.rows) {
    if (r.verdict == Verdict::Error)
      return 1;
    failed |= r.verdict == Verdict::Fail;
  }
  return failed ? 3 : 0;
}

}  // namespace migsim
