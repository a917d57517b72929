#include "sim/validation/validation_case.hpp"

#include "models/units.hpp"
#include "sim/scenario/json_field_reader.hpp"
#include "sim/scenario/json_file.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/validation/validation_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

namespace migsim {

using nlohmann::json;

namespace {

/// Reads one sidecar with located errors (file and JSON path), rejecting keys it does not know.
class SidecarReader : public JsonNodeReader {
public:
  using JsonNodeReader::JsonNodeReader;

  std::string text(const json& object, const std::string& path, const std::string& key, bool required) const
  {
    if (!object.contains(key)) {
      if (required)
        fail(path + "/" + key, "missing");
      return "";
    }
    expect(object[key], object[key].is_string(), path + "/" + key, "a string");
    return object[key].get<std::string>();
  }
  double number(const json& object, const std::string& path, const std::string& key, double fallback) const
  {
    if (!object.contains(key))
      return fallback;
    if (!object[key].is_number() || !std::isfinite(object[key].get<double>()) || object[key].get<double>() < 0)
      fail(path + "/" + key, "expected a finite number >= 0, got " + object[key].dump());
    return object[key].get<double>();
  }
};

std::string unit_suffix(const std::string& text)
{
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.' || text[i] == '-' ||
                             text[i] == '+' || text[i] == 'e' || text[i] == 'E'))
    ++i;
  return text.substr(i);
}

/// A check passes when |simulated - reference| <= tolerance x |reference| + abs_tolerance; one that
/// passes whatever migsim simulates validates nothing.
void refuse_check_that_cannot_fail(const SidecarReader& r, const ValidationCheck& c, const json& j, const std::string& path)
{
  if (c.of_plugin && c.against == ReferenceKind::Plugin)
    r.fail(path + "/of", "the plugin's value against the plugin's own: this check cannot fail");
  // `converged` is 0 or 1: a band as wide as 1 holds both.
  if (c.metric.size() >= 9 && c.metric.compare(c.metric.size() - 9, 9, "converged") == 0) {
    if (c.expected && *c.expected != 0 && *c.expected != 1)
      r.fail(path + "/expected", "converged is 0 or 1, got " + j["expected"].dump());
    const double band = c.relative_tolerance * (c.expected ? std::fabs(*c.expected) : 1) + c.absolute_tolerance;
    if (band >= 1)
      r.fail(path + (j.contains("abs_tolerance") ? "/abs_tolerance" : "/tolerance"),
             "converged is 0 or 1, and a tolerance of 1 or more accepts both: this check cannot fail");
  }
}

ValidationCheck read_check(const SidecarReader& r, const json& j, const std::string& path, bool has_model,
                           bool has_plugin)
{
  r.only_keys(j, path,
              {"metric", "expected", "of", "unit", "tolerance", "abs_tolerance", "calibrated", "known_deviation", "why"});
  ValidationCheck c;
  c.metric = r.text(j, path, "metric", true);
  std::optional<Quantity> kind;
  try {
    kind = metric_quantity(c.metric);
  } catch (const std::invalid_argument& e) {
    r.fail(path + "/metric", e.what());
  }
  c.display_unit = default_display_unit(c.metric);
  if (!j.contains("expected"))
    r.fail(path + "/expected", "missing: a figure with its unit, \"model\" or \"plugin\"");
  const json& e = j["expected"];
  if (e == "model" || e == "plugin") {
    c.against = e == "model" ? ReferenceKind::Analytic : ReferenceKind::Plugin;
    if (c.against == ReferenceKind::Analytic && !has_model)
      r.fail(path + "/expected", "\"model\" needs a top-level \"model\"");
    if (c.against == ReferenceKind::Plugin && !has_plugin)
      r.fail(path + "/expected", "\"plugin\" needs a top-level \"plugin\"");
  } else if (e.is_number()) {
    c.expected = e.get<double>();
  } else if (e.is_string() && kind) {
    try {
      c.expected = parse_quantity(e.get<std::string>(), *kind);
    } catch (const UnitError& err) {
      r.fail(path + "/expected", err.what());
    }
    if (!unit_suffix(e.get<std::string>()).empty())
      c.display_unit = unit_suffix(e.get<std::string>());
  } else {
    r.fail(path + "/expected", "expected a figure (a number, or a string with its unit), \"model\" or \"plugin\"");
  }
  if (c.expected && !std::isfinite(*c.expected))
    r.fail(path + "/expected", "must be finite, got " + e.dump());
  const std::string of = r.text(j, path, "of", false);
  if (!of.empty() && of != "migsim" && of != "plugin")
    r.fail(path + "/of", "expected \"migsim\" or \"plugin\"");
  c.of_plugin = of == "plugin";
  if (c.of_plugin && !has_plugin)
    r.fail(path + "/of", "\"plugin\" needs a top-level \"plugin\"");
  if (j.contains("unit"))
    c.display_unit = r.text(j, path, "unit", true);
  if (!j.contains("tolerance") && !j.contains("abs_tolerance"))
    r.fail(path + "/tolerance", "missing: every check states its tolerance");
  c.relative_tolerance = r.number(j, path, "tolerance", 0);
  if (j.contains("abs_tolerance")) {
    const json& a = j["abs_tolerance"];
    try {
      c.absolute_tolerance = a.is_number() ? a.get<double>()
                             : kind       ? parse_quantity(a.get<std::string>(), *kind)
                                          : std::stod(a.get<std::string>());
    } catch (const std::exception&) {
      r.fail(path + "/abs_tolerance", "expected a number or a quantity with its unit");
    }
    if (!std::isfinite(c.absolute_tolerance) || c.absolute_tolerance < 0)
      r.fail(path + "/abs_tolerance", "expected a finite tolerance >= 0, got " + a.dump());
  }
  refuse_check_that_cannot_fail(r, c, j, path);
  if (j.contains("calibrated") && !j["calibrated"].is_boolean())
    r.fail(path + "/calibrated", "expected true or false");
  c.calibrated      = j.value("calibrated", false);
  c.known_deviation = r.text(j, path, "known_deviation", false);
  return c;
}

std::vector<ValidationCheck> read_checks(const SidecarReader& r, const json& object, const std::string& path,
                                         bool has_model, bool has_plugin)
{
  std::vector<ValidationCheck> checks;
  if (!object.contains("checks"))
    return checks;
  const json& list = object["checks"];
  if (!list.is_array())
    r.fail(path + "/checks", "expected an array of checks");
  for (size_t i = 0; i < list.size(); ++i)
    checks.push_back(read_check(r, list[i], path + "/checks/" + std::to_string(i), has_model, has_plugin));
  return checks;
}

}  // namespace

ValidationCase load_validation_case(const std::string& path)
{
  const json doc = read_json_file(path);
  SidecarReader r(path);
  r.only_keys(doc, "", {"case", "title", "source", "figures", "scenario", "model", "plugin", "checks", "runs", "notes"});
  ValidationCase c;
  c.file          = path;
  c.name          = r.text(doc, "", "case", true);
  c.title         = r.text(doc, "", "title", false);
  c.source        = r.text(doc, "", "source", true);
  c.model         = r.text(doc, "", "model", false);
  if (doc.contains("figures")) {
    c.figures = r.text(doc, "", "figures", true);
    if (c.figures != "published" && c.figures != "measured")
      r.fail("/figures", "expected \"published\" or \"measured\"");
  }
  const auto dir  = std::filesystem::path(path).parent_path();
  c.scenario_file = (dir / r.text(doc, "", "scenario", true)).string();
  if (doc.contains("plugin")) {
    const json& p = doc["plugin"];
    r.only_keys(p, "/plugin", {"platform", "source", "destination", "ram", "vms"});
    PluginSetup s;
    s.platform_file = (dir / r.text(p, "/plugin", "platform", true)).string();
    s.source        = r.text(p, "/plugin", "source", true);
    s.destination   = r.text(p, "/plugin", "destination", true);
    s.ram_bytes     = r.number(p, "/plugin", "ram", 0);
    s.vms           = static_cast<int>(r.number(p, "/plugin", "vms", 1));
    if (s.ram_bytes <= 0 || s.vms < 1)
      r.fail("/plugin", "needs \"ram\" > 0 bytes and \"vms\" >= 1");
    c.plugin = s;
  }
  const bool has_model = !c.model.empty(), has_plugin = c.plugin.has_value();
  const std::vector<ValidationCheck> common = read_checks(r, doc, "", has_model, has_plugin);
  if (!doc.contains("runs")) {
    c.runs.push_back({"", {}, common});
  } else {
    const json& runs = doc["runs"];
    if (!runs.is_array() || runs.empty())
      r.fail("/runs", "expected a non-empty array of runs");
    for (size_t i = 0; i < runs.size(); ++i) {
      const std::string rp = "/runs/" + std::to_string(i);
      r.only_keys(runs[i], rp, {"label", "set", "checks"});
      ValidationRun run;
      run.label = r.text(runs[i], rp, "label", true);
      if (runs[i].contains("set")) {
        const json& set = runs[i]["set"];
        if (!set.is_object())
          r.fail(rp + "/set", "expected an object of \"/json/pointer\": value");
        for (auto it = set.begin(); it != set.end(); ++it)
          run.overrides.push_back(it.key() + "=" + (it->is_string() ? it->get<std::string>() : it->dump()));
      }
      run.checks = common;
      for (auto& check : read_checks(r, runs[i], rp, has_model, has_plugin))
        run.checks.push_back(check);
      c.runs.push_back(run);
    }
  }
  for (size_t i = 0; i < c.runs.size(); ++i)
    if (c.runs[i].checks.empty())
      r.fail(doc.contains("runs") ? "/runs/" + std::to_string(i) : "/checks", "a run without checks validates nothing");
  return c;
}

std::vector<std::string> find_validation_cases(const std::string& dir)
{
  if (!std::filesystem::is_directory(dir))
    throw ScenarioError(dir, "", "no such folder");
  std::vector<std::string> files;
  const std::string suffix = ".validation.json";
  // Sub-folders too (e.g. qemu/ for the testbed's cases); a sidecar's scenario is relative to it.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace migsim
