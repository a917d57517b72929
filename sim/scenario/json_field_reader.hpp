// Reads typed, unit-checked fields out of a JSON document by JSON pointer, and remembers what it read:
// it fills a resolved copy with defaults, and afterwards reports any key nobody asked for (a typo) with
// the closest known name. Every failure is a ScenarioError naming the file and the JSON path.
#pragma once

#include "models/param_spec.hpp"
#include "models/units.hpp"
#include "sim/scenario/scenario_error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace migsim {

/// "a number", "a string", ... for error messages.
std::string describe_json_type(const nlohmann::json& value);

/// `unknown key "kye" (did you mean "key"?); known keys here: a, key`
std::string unknown_key_message(const std::string& key, const std::vector<std::string>& known);

/// A key as one token of a JSON pointer: '~' is ~0, '/' is ~1.
std::string escape_pointer_token(const std::string& key);

/// Every rate and duration is at most this (docs/scenario.md, "Bounds").
constexpr double max_rate_Bps   = 1e15;
constexpr double max_duration_s = 1e9;

class JsonFieldReader {
public:
  JsonFieldReader(const nlohmann::json& document, std::string origin);

  bool has(const std::string& path) const { return find(path) != nullptr; }
  /// A size, rate or duration; must be > 0, or >= 0 when allow_zero; rates and durations bounded above.
  double quantity(const std::string& path, Quantity kind, const nlohmann::json& fallback, bool allow_zero = false);
  double number(const std::string& path, double fallback, double min, double max);
  double fraction(const std::string& path, double fallback) { return number(path, fallback, 0.0, 1.0); }
  long long integer(const std::string& path, long long fallback, long long min, long long max);
  std::string choice(const std::string& path, const std::string& fallback, const std::vector<std::string>& options);
  std::string text(const std::string& path, const std::string& fallback);
  bool boolean(const std::string& path, bool fallback);
  /// An object whose members are read one by one later (so it is known even when empty).
  void object(const std::string& path);
  /// A list whose elements are read one by one later, by index ("/path/0/key"); its length, 0 when
  /// absent. Unknown keys in its elements are reported like any other.
  size_t array(const std::string& path);
  /// A value validated by someone else: nothing below `path` counts as an unknown key here.
  void delegate(const std::string& path);

  /// Throws for the first key in the document that no read asked for.
  void reject_unknown_keys() const;
  const nlohmann::json& resolved() const { return resolved_; }
  /// The kind of every quantity read, by JSON pointer: what a unit string written for it must be.
  const std::map<std::string, Quantity>& quantity_kinds() const { return quantity_kinds_; }
  const std::string& origin() const { return origin_; }
  [[noreturn]] void fail(const std::string& path, const std::string& message) const;

private:
  const nlohmann::json* find(const std::string& path) const;
  nlohmann::json value_or(const std::string& path, const nlohmann::json& fallback);
  void reject_unknown_in(const nlohmann::json& node, const std::string& path) const;

  const nlohmann::json& document_;
  std::string origin_;
  nlohmann::json resolved_ = nlohmann::json::object();
  std::set<std::string> known_;      // every path read, and every object on the way to one
  std::set<std::string> delegated_;  // subtrees validated elsewhere
  std::set<std::string> arrays_;     // lists read element by element
  std::map<std::string, Quantity> quantity_kinds_;
};

/// The parameters a policy declares, read from the object at `at` (each with its unit or bounds);
/// absent ones take their declared default.
PolicyParams read_declared_params(JsonFieldReader& r, const std::string& at, const std::vector<ParamSpec>& specs);

/// Located checks for documents read node by node rather than by pointer (sweep files, validation
/// sidecars): every failure a ScenarioError naming the file and the JSON path, worded as JsonFieldReader's.
class JsonNodeReader {
public:
  explicit JsonNodeReader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& message) const
  {
    throw ScenarioError(origin_, path, message);
  }
  /// Fails with "expected WHAT, got <the value's type>" unless `ok`.
  template <class Json>
  void expect(const Json& value, bool ok, const std::string& path, const std::string& what) const
  {
    if (!ok)
      fail(path, "expected " + what + ", got " + describe_json_type(nlohmann::json(value)));
  }
  /// `object` must be an object with no keys but `known`: an unknown one is a typo, named with the closest.
  template <class Json>
  void only_keys(const Json& object, const std::string& path, const std::vector<std::string>& known) const
  {
    expect(object, object.is_object(), path, "an object");
    for (auto it = object.begin(); it != object.end(); ++it)
      if (std::find(known.begin(), known.end(), it.key()) == known.end())
        fail(path + "/" + escape_pointer_token(it.key()), unknown_key_message(it.key(), known));
  }
  const std::string& origin() const { return origin_; }

private:
  std::string origin_;
};

/// The candidate closest to `word` by edit distance, or "" when none is close.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);


}  // namespace migsim
