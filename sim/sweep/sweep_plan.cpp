#include "sim/sweep/sweep_plan.hpp"

#include "build_info.hpp"
#include "sim/output/csv_file.hpp"
#include "models/random_stream.hpp"
#include "models/units.hpp"
#include "sim/output/atomic_write.hpp"
#include "sim/output/result_writer.hpp"
#include "sim/scenario/json_file.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/scenario_loader.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

namespace fs = std::filesystem;

namespace migsim {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

std::string si_cell(const json& value)
{
  if (value.is_number_integer())
    return value.dump();
  if (value.is_number())
    return format_number(value.get<double>());
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    for (Quantity kind : {Quantity::Bytes, Quantity::Rate, Quantity::Duration})
      try {
        return format_number(parse_quantity(text, kind));
      } catch (const UnitError&) {
      }
    return text;
  }
  return value.dump();
}

namespace {

/// One value given to one setting, and where the sweep file says so.
struct Assignment {
  const std::string* pointer;
  const json* value;
  const std::string* source;
};

/// The parameter values of one point of the sweep (grid x zip x random), before policy and seed.
struct Point {
  std::vector<Assignment> assignments;
  std::vector<json> values;
};

std::vector<Point> expand_points(const SweepSpec& spec, std::vector<json>& random_values,
                                 std::vector<std::string>& random_sources)
{
  // Random draws first, sample-major, from one stream: the draws depend on the seed and the ranges only.
  RandomStream stream(spec.random_seed, "sweep-random");
  random_values.reserve(spec.random_samples * spec.random.size());
  for (size_t s = 0; s < spec.random_samples; ++s)
    for (const RandomRange& r : spec.random) {
      const double u = stream.uniform();
      double x       = r.log ? std::exp(std::log(r.min) + u * (std::log(r.max) - std::log(r.min)))
                             : r.min + u * (r.max - r.min);
      x              = std::min(std::max(x, r.min), r.max);  // exp(log()) may stray by an ulp
      random_values.push_back(r.integer ? json(static_cast<long long>(std::llround(x))) : json(x));
      random_sources.push_back(r.source);
    }

  std::vector<Point> points;
  std::vector<size_t> odometer(spec.grid.size(), 0);  // the first grid key varies slowest
  const size_t zip_count    = spec.zip.empty() ? 1 : spec.zip.front().values.size();
  const size_t sample_count = spec.random.empty() ? 1 : spec.random_samples;
  for (bool more = true; more;) {
    for (size_t z = 0; z < zip_count; ++z)
      for (size_t s = 0; s < sample_count; ++s) {
        Point p;
        for (size_t g = 0; g < spec.grid.size(); ++g)
          p.assignments.push_back({&spec.grid[g].pointer, &spec.grid[g].values[odometer[g]], &spec.grid[g].sources[odometer[g]]});
        for (const auto& setting : spec.zip)
          p.assignments.push_back({&setting.pointer, &setting.values[z], &setting.sources[z]});
        for (size_t k = 0; k < spec.random.size(); ++k) {
          const size_t i = s * spec.random.size() + k;
          p.assignments.push_back({&spec.random[k].pointer, &random_values[i], &random_sources[i]});
        }
        for (const auto& a : p.assignments)
          p.values.push_back(*a.value);
        points.push_back(std::move(p));
      }
    more = false;
    for (size_t g = spec.grid.size(); g-- > 0;) {
      if (++odometer[g] < spec.grid[g].values.size()) {
        more = true;
        break;
      }
      odometer[g] = 0;
    }
  }
  return points;
}

/// The kind of quantity the scenario reads at `pointer`; a VM entry's setting ("/vms/2/migration/...")
/// is read as the base scenario's of the same name.
std::optional<Quantity> quantity_kind(const std::map<std::string, Quantity>& kinds, const std::string& pointer)
{
  auto found = kinds.find(pointer);
  if (found == kinds.end() && pointer.rfind("/vms/", 0) == 0) {
    const size_t end = pointer.find('/', 5);
    if (end != std::string::npos && end > 5 &&
        std::all_of(pointer.begin() + 5, pointer.begin() + static_cast<long>(end), [](char c) { return c >= '0' && c <= '9'; }))
      found = kinds.find(pointer.substr(end));
  }
  return found == kinds.end() ? std::nullopt : std::optional<Quantity>(found->second);
}

/// A random range's bounds are numbers in SI base units or quantities of the setting's own kind, as
/// --set takes them: "1Gbps" for a duration is refused, not drawn as 1.25e8 s.
void check_random_units(const SweepSpec& spec, const std::map<std::string, Quantity>& kinds,
                        const std::vector<std::pair<std::string, json>>& bases)
{
  for (const RandomRange& range : spec.random)
    for (const auto& [bound, given] : {std::pair{"min", &range.min_given}, std::pair{"max", &range.max_given}}) {
      if (!given->is_string())
        continue;
      const std::string at = range.source + "/" + bound;
      const std::optional<Quantity> kind = quantity_kind(kinds, range.pointer);
      if (!kind) {
        bool exists = false;
        for (const auto& [policy, resolved] : bases)
          try {
            exists = exists || resolved.contains(json::json_pointer(range.pointer));
          } catch (const json::exception&) {
          }
        if (exists)  // a missing setting is reported with the first run that sets it
          throw ScenarioError(spec.file, at, "\"" + range.pointer + "\" is a plain number, not a size, rate or duration: write " +
                                                 bound + " as a number, not " + given->dump());
        continue;
      }
      try {
        (void)parse_quantity(given->get<std::string>(), *kind);
      } catch (const UnitError& e) {
        throw ScenarioError(spec.file, at, std::string(e.what()));
      }
    }
}

/// The path part of a ScenarioError raised for `origin` ("ORIGIN: /a/b: message" gives "/a/b").
std::string error_path(const std::string& what, const std::string& origin)
{
  const std::string prefix = origin + ": /";
  if (what.rfind(prefix, 0) != 0)
    return "";
  const size_t end = what.find(": ", prefix.size());
  return end == std::string::npos ? "" : what.substr(prefix.size() - 1, end - prefix.size() + 1);
}

/// Builds and validates the scenario of one run. An error about a value the sweep set is reported at
/// that value's place in the sweep file; any other one names the run and its values.
Scenario build_run(const SweepSpec& spec, json document, const std::vector<Assignment>& assignments,
                   const std::string& run_label)
{
  for (const Assignment& a : assignments) {
    const json::json_pointer pointer(*a.pointer);
    const json::json_pointer parent = pointer.parent_pointer();
    bool parent_ok = false;
    try {
      parent_ok = document.contains(parent) && document.at(parent).is_object();
    } catch (const json::exception&) {
    }
    if (!parent_ok)
      throw ScenarioError(spec.file, *a.source,
                          "no setting \"" + *a.pointer + "\" in the base scenario (\"" + parent.to_string() +
                              "\" is not an object there, defaults included)");
    document[pointer] = *a.value;
  }
  try {
    return parse_scenario(document, spec.base_origin);
  } catch (const ScenarioError& e) {
    const std::string what = e.what();
    const std::string path = error_path(what, spec.base_origin);
    const std::string message =
        path.empty() ? what.substr(std::min(what.size(), spec.base_origin.size() + 2)) : what.substr(spec.base_origin.size() + path.size() + 4);
    for (const Assignment& a : assignments)
      if (!path.empty() && (path == *a.pointer || path.rfind(*a.pointer + "/", 0) == 0))
        throw ScenarioError(spec.file, *a.source,
                            (path == *a.pointer ? "" : path + ": ") + message +
                                (message.find(a.value->dump()) == std::string::npos ? " (value " + a.value->dump() + ")" : ""));
    throw ScenarioError(spec.file, "", run_label + ": " + what);
  }
}

std::string describe_run(uint64_t id, const std::string& policy, const std::vector<Assignment>& assignments)
{
  std::string text = "run " + std::to_string(id) + " (";
  if (!policy.empty())
    text += "policy " + policy;
  for (const auto& a : assignments)
    text += (text.back() == '(' ? "" : ", ") + *a.pointer + "=" + a.value->dump();
  return text + ")";
}

ojson plan_document(const SweepPlan& plan)
{
  ojson doc = {{"format", "migsim-sweep-plan-1"}, {"tool", "migsim"}, {"version", build_info::version}};
  add_plan_description(doc, plan);
  doc["run_count"] = plan.runs.size();
  doc["sweep"]     = plan.sweep;
  doc["runs"]      = ojson::array();
  for (const PlannedRun& r : plan.runs) {
    ojson values = ojson::array();
    for (const json& v : r.values)
      values.push_back(ojson::parse(v.dump()));
    doc["runs"].push_back({{"run_id", r.id},
                           {"folder", run_folder(plan, r.id)},
                           {"seed", r.seed},
                           {"replication", r.replication},
                           {"policy", r.policy},
                           {"scenario", r.scenario_name},
                           {"values", values},
                           {"cells", r.cells}});
  }
  return doc;
}

std::string plan_csv_text(const SweepPlan& plan)
{
  CsvRow header = {"run_id", "seed", "replication", "policy"};
  header.insert(header.end(), plan.parameters.begin(), plan.parameters.end());
  std::string text = csv_line(header);
  for (const PlannedRun& r : plan.runs) {
    CsvRow row = {std::to_string(r.id), std::to_string(r.seed), std::to_string(r.replication), r.policy};
    row.insert(row.end(), r.cells.begin(), r.cells.end());
    text += csv_line(row);
  }
  return text;
}

}  // namespace

SweepPlan expand_sweep(const SweepSpec& spec)
{
  SweepPlan plan;
  plan.sweep_file   = fs::absolute(spec.file).lexically_normal().string();
  plan.name         = spec.name;
  plan.sweep        = spec.document;
  plan.replications = spec.replications;
  plan.seed_rule    = spec.seed_rule;
  for (const auto* group : {&spec.grid, &spec.zip})
    for (const auto& s : *group)
      plan.parameters.push_back(s.pointer);
  for (const auto& r : spec.random)
    plan.parameters.push_back(r.pointer);

  // Problems in the base file itself are reported there, before any sweep value is applied.
  const Scenario base = parse_scenario(spec.base, spec.base_origin);
  plan.base_seed      = spec.base_seed.value_or(base.seed);
  std::map<std::string, Quantity> kinds = base.quantity_kinds;
  for (const PolicyVariant& v : spec.policies)
    plan.policies.push_back(v.display_name());
  std::vector<Assignment> fixed;
  for (const auto& s : spec.fixed)
    fixed.push_back({&s.pointer, &s.values.front(), &s.sources.front()});

  // Each policy (or variant) replaces the base's and takes its own parameters, at their defaults
  // unless the variant sets them; "set" and the varied values come after, so they may set a policy
  // parameter too.
  std::vector<std::pair<std::string, json>> policy_bases;
  if (spec.policies.empty())
    policy_bases.emplace_back("", base.resolved);
  for (size_t i = 0; i < spec.policies.size(); ++i) {
    json doc = base.resolved;
    apply_policy_variant(doc, spec.policies[i]);
    try {
      Scenario with_policy = parse_scenario(doc, spec.base_origin);
      kinds.insert(with_policy.quantity_kinds.begin(), with_policy.quantity_kinds.end());
      policy_bases.emplace_back(spec.policies[i].display_name(), std::move(with_policy.resolved));
    } catch (const ScenarioError& e) {
      throw ScenarioError(spec.file, "/policies/" + std::to_string(i), e.what());
    }
  }
  check_random_units(spec, kinds, policy_bases);

  // Bounded before anything is expanded: a 1000^3 grid would fill the memory and the disk.
  const double runs = planned_run_count(spec);
  if (runs > static_cast<double>(max_sweep_runs))
    throw ScenarioError(spec.file, "", "the sweep has " + format_number(runs) + " runs (grid x zip x random samples x policies x replications); at most " +
                                           std::to_string(max_sweep_runs) + " are allowed");
  std::vector<json> random_values;
  std::vector<std::string> random_sources;
  const std::vector<Point> points = expand_points(spec, random_values, random_sources);
  for (const Point& point : points)
    for (const auto& [policy, doc] : policy_bases)
      for (uint64_t rep = 0; rep < spec.replications; ++rep) {
        PlannedRun run;
        run.id          = plan.runs.size();
        run.replication = rep;
        run.seed        = replication_seed(spec.seed_rule, plan.base_seed, rep);
        json with_seed  = doc;
        with_seed["seed"] = run.seed;
        std::vector<Assignment> assignments = fixed;
        assignments.insert(assignments.end(), point.assignments.begin(), point.assignments.end());
        const Scenario s = build_run(spec, with_seed, assignments, describe_run(run.id, policy, point.assignments));
        run.policy        = s.migration.display_name();
        run.scenario_name = s.name;
        run.values        = point.values;
        for (const json& v : point.values)
          run.cells.push_back(si_cell(v));
        run.scenario = s.resolved;
        // The run folder is read from anywhere (a cluster node): make a platform file path absolute.
        if (!s.platform.file.empty())
          run.scenario["platform"]["file"] = fs::absolute(s.platform.file).lexically_normal().string();
        plan.runs.push_back(std::move(run));
      }
  return plan;
}

double planned_run_count(const SweepSpec& spec)
{
  double runs = static_cast<double>(std::max<size_t>(1, spec.policies.size())) * static_cast<double>(spec.replications) *
                static_cast<double>(spec.zip.empty() ? 1 : spec.zip.front().values.size()) *
                static_cast<double>(spec.random.empty() ? 1 : spec.random_samples);
  for (const auto& g : spec.grid)
    runs *= static_cast<double>(g.values.size());
  return runs;
}

void add_plan_description(ojson& document, const SweepPlan& plan)
{
  document["sweep_file"]   = plan.sweep_file;
  document["name"]         = plan.name;
  document["parameters"]   = plan.parameters;
  document["policies"]     = plan.policies;
  document["replications"] = plan.replications;
  document["base_seed"]    = plan.base_seed;
  document["seed_rule"]    = seed_rule_name(plan.seed_rule);
}

std::string run_folder(const SweepPlan& plan, uint64_t id)
{
  const size_t count = std::max<size_t>(plan.runs.size(), 1);
  const size_t width = std::max<size_t>(6, std::to_string(count - 1).size());
  std::string digits = std::to_string(id);
  return "runs/" + std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

std::string plan_json_text(const SweepPlan& plan)
{
  return plan_document(plan).dump(1, ' ', false, ojson::error_handler_t::replace) + "\n";
}

void write_plan(const SweepPlan& plan, const std::string& dir)
{
  AtomicFolder folder(dir);
  for (const PlannedRun& r : plan.runs)
    folder.write(run_folder(plan, r.id) + "/scenario.json", r.scenario.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  folder.write("plan.csv", plan_csv_text(plan));
  folder.write("plan.json", plan_json_text(plan));  // last: its presence marks a whole plan
  folder.commit();
}

SweepPlan read_plan(const std::string& dir)
{
  const std::string file = (fs::path(dir) / "plan.json").string();
  std::error_code ec;
  if (!fs::exists(file, ec))
    throw ScenarioError(file, "", "cannot open: \"" + dir + "\" is not a sweep plan folder (make one with `migsim sweep plan`)");
  const ojson doc = read_ordered_json_file(file, max_data_file_bytes);
  if (!doc.is_object() || doc.value("format", "") != "migsim-sweep-plan-1")
    throw ScenarioError(file, "", "not a migsim sweep plan (expected \"format\": \"migsim-sweep-plan-1\")");
  SweepPlan plan;
  try {
    plan.sweep_file   = doc.at("sweep_file").get<std::string>();
    plan.name         = doc.at("name").get<std::string>();
    plan.sweep        = doc.at("sweep");
    plan.parameters   = doc.at("parameters").get<std::vector<std::string>>();
    plan.policies     = doc.at("policies").get<std::vector<std::string>>();
    plan.replications = doc.at("replications").get<uint64_t>();
    plan.base_seed    = doc.at("base_seed").get<uint64_t>();
    plan.seed_rule    = doc.at("seed_rule") == "sequential" ? SeedRule::Sequential : SeedRule::SplitMix64;
    for (const ojson& r : doc.at("runs")) {
      PlannedRun run;
      run.id            = r.at("run_id").get<uint64_t>();
      run.seed          = r.at("seed").get<uint64_t>();
      run.replication   = r.at("replication").get<uint64_t>();
      run.policy        = r.at("policy").get<std::string>();
      run.scenario_name = r.at("scenario").get<std::string>();
      for (const ojson& v : r.at("values"))
        run.values.push_back(json::parse(v.dump()));
      run.cells = r.at("cells").get<std::vector<std::string>>();
      if (run.id != plan.runs.size() || run.cells.size() != plan.parameters.size())
        throw ScenarioError(file, "/runs/" + std::to_string(plan.runs.size()), "inconsistent run entry");
      plan.runs.push_back(std::move(run));
    }
  } catch (const ojson::exception& e) {
    throw ScenarioError(file, "", std::string("damaged plan: ") + e.what());
  }
  return plan;
}

}  // namespace migsim
