#include "sim/scenario/json_field_reader.hpp"

#include "sim/scenario/whole_number.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

namespace migsim {

using nlohmann::json;

std::string describe_json_type(const json& value)
{
  switch (value.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "the string " + value.dump();
    case json::value_t::boolean:
      return "the boolean " + value.dump();
    case json::value_t::null:
      return "null";
    default:
      return "the number " + value.dump();
  }
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates)
{
  std::string best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    std::vector<size_t> row(c.size() + 1);
    for (size_t j = 0; j <= c.size(); ++j)
      row[j] = j;
    for (size_t i = 1; i <= word.size(); ++i) {
      size_t diagonal = row[0];
      row[0]          = i;
      for (size_t j = 1; j <= c.size(); ++j) {
        size_t above = row[j];
        row[j]       = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (word[i - 1] == c[j - 1] ? 0 : 1)});
        diagonal     = above;
      }
    }
    if (row[c.size()] < best_distance) {
      best_distance = row[c.size()];
      best          = c;
    }
  }
  return best;
}

std::string unknown_key_message(const std::string& key, const std::vector<std::string>& known)
{
  const std::string hint = closest_match(key, known);
  std::string list;
  for (const auto& k : known)
    list += (list.empty() ? "" : ", ") + k;
  return "unknown key \"" + key + "\"" + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
         (list.empty() ? "" : "; known keys here: " + list);
}

std::string escape_pointer_token(const std::string& key)
{
  std::string out;
  for (char c : key)
    out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
  return out;
}

namespace {
/// "/a/b" -> {"a", "b"}, with JSON-pointer escapes (~1 is '/', ~0 is '~') undone.
std::vector<std::string> split_pointer(const std::string& path)
{
  std::vector<std::string> tokens;
  for (size_t start = 1; start <= path.size();) {
    size_t end        = std::min(path.find('/', start), path.size());
    std::string token = path.substr(start, end - start);
    for (size_t i; (i = token.find("~1")) != std::string::npos;)
      token.replace(i, 2, "/");
    for (size_t i; (i = token.find("~0")) != std::string::npos;)
      token.replace(i, 2, "~");
    tokens.push_back(token);
    start = end + 1;
  }
  return tokens;
}
}  // namespace

JsonFieldReader::JsonFieldReader(const json& document, std::string origin)
    : document_(document), origin_(std::move(origin))
{
  if (!document_.is_object())
    fail("", "expected a JSON object at the top level, got " + describe_json_type(document_));
}

void JsonFieldReader::fail(const std::string& path, const std::string& message) const
{
  throw ScenarioError(origin_, path, message);
}

const json* JsonFieldReader::find(const std::string& path) const
{
  const json* node = &document_;
  std::string walked;
  for (const auto& token : split_pointer(path)) {
    if (node->is_array() && arrays_.count(walked)) {  // an element of a list read by index
      const size_t i = parse_whole_number(token, node->size()).value_or(node->size());
      if (i >= node->size())
        return nullptr;
      node = &(*node)[i];
      walked += "/" + token;
      continue;
    }
    if (!node->is_object())
      fail(walked, "expected an object, got " + describe_json_type(*node));
    auto it = node->find(token);
    if (it == node->end())
      return nullptr;
    node = &*it;
    walked += "/" + token;
  }
  return node;
}

json JsonFieldReader::value_or(const std::string& path, const json& fallback)
{
  std::string prefix;
  for (const auto& token : split_pointer(path)) {
    prefix += "/" + token;
    known_.insert(prefix);
  }
  const json* found = find(path);
  json value = found ? *found : fallback;
  resolved_[json::json_pointer(path)] = value;
  return value;
}

double JsonFieldReader::quantity(const std::string& path, Quantity kind, const json& fallback, bool allow_zero)
{
  quantity_kinds_[path] = kind;
  const json v = value_or(path, fallback);
  double x      = 0;
  if (v.is_number())
    x = v.get<double>();
  else if (v.is_string()) {
    const std::string& text = v.get_ref<const std::string&>();
    if (!text.empty() && (std::isspace(static_cast<unsigned char>(text.front())) ||
                          std::isspace(static_cast<unsigned char>(text.back()))))
      fail(path, v.dump() + " has spaces around it; nothing may come before the number or after the unit");
    try {
      x = parse_quantity(text, kind);
    } catch (const UnitError& e) {
      fail(path, e.what());
    }
  } else
    fail(path, "expected " + quantity_example(kind) + ", got " + describe_json_type(v));
  if (!std::isfinite(x) || x < 0 || (!allow_zero && x == 0))
    fail(path, "must be " + std::string(allow_zero ? "zero or positive" : "positive") + ", got " + v.dump());
  // Bounds that keep every count made from a rate or a duration (bytes, pages, writes, samples) far
  // inside 64 bits (docs/scenario.md, "Bounds").
  if (kind == Quantity::Rate && x > max_rate_Bps)
    fail(path, "must be at most 1e15 bytes/s (8 Pbps), got " + v.dump());
  if (kind == Quantity::Duration && x > max_duration_s)
    fail(path, "must be at most 1e9 s (about 31 years), got " + v.dump());
  return x;
}

double JsonFieldReader::number(const std::string& path, double fallback, double min, double max)
{
  const json v = value_or(path, fallback);
  if (!v.is_number())
    fail(path, "expected a number, got " + describe_json_type(v));
  double x = v.get<double>();
  if (!(x >= min && x <= max)) {
    std::ostringstream range;
    range << "must be in [" << min << ", " << max << "], got " << v.dump();
    fail(path, range.str());
  }
  return x;
}

long long JsonFieldReader::integer(const std::string& path, long long fallback, long long min, long long max)
{
  const json v = value_or(path, fallback);
  if (!v.is_number_integer())
    fail(path, "expected an integer, got " + describe_json_type(v));
  const bool too_big = v.is_number_unsigned() && v.get<unsigned long long>() > static_cast<unsigned long long>(max);
  const long long x  = too_big ? max : v.get<long long>();
  if (too_big || x < min || x > max)
    fail(path, "must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " + v.dump());
  return x;
}

std::string JsonFieldReader::text(const std::string& path, const std::string& fallback)
{
  const json v = value_or(path, fallback);
  if (!v.is_string())
    fail(path, "expected a string, got " + describe_json_type(v));
  return v.get<std::string>();
}

bool JsonFieldReader::boolean(const std::string& path, bool fallback)
{
  const json v = value_or(path, fallback);
  if (!v.is_boolean())
    fail(path, "expected true or false, got " + describe_json_type(v));
  return v.get<bool>();
}

std::string JsonFieldReader::choice(const std::string& path, const std::string& fallback,
                                    const std::vector<std::string>& options)
{
  std::string s = text(path, fallback);
  if (std::find(options.begin(), options.end(), s) != options.end())
    return s;
  std::string list;
  for (const auto& o : options)
    list += (list.empty() ? "" : ", ") + o;
  std::string hint = closest_match(s, options);
  fail(path, "unknown value \"" + s + "\"; expected one of: " + list +
                 (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
}

void JsonFieldReader::object(const std::string& path)
{
  const json v = value_or(path, json::object());
  if (!v.is_object())
    fail(path, "expected an object, got " + describe_json_type(v));
}

void JsonFieldReader::delegate(const std::string& path)
{
  value_or(path, json::object());
  delegated_.insert(path);
}

size_t JsonFieldReader::array(const std::string& path)
{
  const json v = value_or(path, json::array());
  if (!v.is_array())
    fail(path, "expected a list, got " + describe_json_type(v));
  arrays_.insert(path);
  return v.size();
}

void JsonFieldReader::reject_unknown_in(const json& node, const std::string& path) const
{
  if (node.is_array() && arrays_.count(path) && !delegated_.count(path)) {
    for (size_t i = 0; i < node.size(); ++i)
      reject_unknown_in(node[i], path + "/" + std::to_string(i));
    return;
  }
  if (!node.is_object() || delegated_.count(path))
    return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    std::string child = path + "/" + it.key();
    if (!known_.count(child)) {
      std::vector<std::string> siblings;
      for (const auto& k : known_)
        if (k.rfind(path + "/", 0) == 0 && k.find('/', path.size() + 1) == std::string::npos)
          siblings.push_back(k.substr(path.size() + 1));
      fail(child, unknown_key_message(it.key(), siblings));
    }
    reject_unknown_in(it.value(), child);
  }
}

void JsonFieldReader::reject_unknown_keys() const
{
  reject_unknown_in(document_, "");
}

}  // namespace migsim

namespace migsim {

PolicyParams read_declared_params(JsonFieldReader& r, const std::string& at, const std::vector<ParamSpec>& specs)
{
  r.object(at);
  PolicyParams params;
  for (const ParamSpec& spec : specs) {
    const std::string path = at + "/" + spec.name;
    const double v         = spec.unit ? r.quantity(path, *spec.unit, spec.default_value, true)
                                       : r.number(path, spec.default_value, spec.min, spec.max);
    if (v < spec.min || v > spec.max) {
      std::ostringstream range;
      range << "must be in [" << spec.min << ", " << spec.max << "], got " << v;
      r.fail(path, range.str());
    }
    params[spec.name] = v;
  }
  return params;
}

}  // namespace migsim
