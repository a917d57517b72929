#include "sim/scenario/json_file.hpp"

#include "sim/scenario/scenario_error.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

namespace migsim {

using nlohmann::json;

namespace {

constexpr size_t max_file_bytes = 16 << 20;  // a scenario is a few kB; this stops /dev/zero and friends

/// nlohmann's own DOM builder (json::parse uses it too), plus what json::parse cannot tell us: where a
/// number overflowed, and which key of an object came twice.
class LocatingDomParser : public nlohmann::detail::json_sax_dom_parser<json> {
  using Base = nlohmann::detail::json_sax_dom_parser<json>;

public:
  explicit LocatingDomParser(json& root) : Base(root, false) {}

  // The parser calls these through the static type, so hiding the base members is enough.
  bool null() { return value_done(Base::null()); }
  bool boolean(bool v) { return value_done(Base::boolean(v)); }
  bool number_integer(number_integer_t v) { return value_done(Base::number_integer(v)); }
  bool number_unsigned(number_unsigned_t v) { return value_done(Base::number_unsigned(v)); }
  bool number_float(number_float_t v, const string_t& s) { return value_done(Base::number_float(v, s)); }
  bool string(string_t& v) { return value_done(Base::string(v)); }
  bool binary(binary_t& v) { return value_done(Base::binary(v)); }
  bool start_object(std::size_t n)
  {
    frames_.push_back({false, 0, "", {}});
    return Base::start_object(n);
  }
  bool end_object()
  {
    frames_.pop_back();
    return value_done(Base::end_object());
  }
  bool start_array(std::size_t n)
  {
    frames_.push_back({true, 0, "", {}});
    return Base::start_array(n);
  }
  bool end_array()
  {
    frames_.pop_back();
    return value_done(Base::end_array());
  }
  bool key(string_t& k)
  {
    Frame& f = frames_.back();
    f.key    = k;
    if (!f.keys.insert(k).second) {
      duplicate_path_ = pointer();
      return false;
    }
    return Base::key(k);
  }
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& token, const Exception& ex)
  {
    error_position_ = position;
    error_token_    = token;
    error_id_       = ex.id;
    error_what_     = ex.what();
    return false;
  }

  const std::string& duplicate_path() const { return duplicate_path_; }
  size_t error_position() const { return error_position_; }
  const std::string& error_token() const { return error_token_; }
  int error_id() const { return error_id_; }
  const std::string& error_what() const { return error_what_; }

private:
  struct Frame {
    bool is_array;
    size_t index;
    std::string key;
    std::set<std::string> keys;
  };

  bool value_done(bool ok)
  {
    if (!frames_.empty() && frames_.back().is_array)
      ++frames_.back().index;
    return ok;
  }
  static std::string escape(const std::string& key)  // JSON-pointer escapes: '~' is ~0, '/' is ~1
  {
    std::string out;
    for (char c : key)
      out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    return out;
  }
  std::string pointer() const
  {
    std::string p;
    for (const Frame& f : frames_)
      p += "/" + (f.is_array ? std::to_string(f.index) : escape(f.key));
    return p;
  }

  std::vector<Frame> frames_;
  std::string duplicate_path_;
  size_t error_position_ = 0;
  std::string error_token_;
  int error_id_ = 0;
  std::string error_what_;
};

/// "line L, column C" of byte offset `at` (both 1-based, columns in bytes like nlohmann's).
std::string line_and_column(const std::string& text, size_t at)
{
  at                = std::min(at, text.size());
  size_t line       = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < at; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return "line " + std::to_string(line) + ", column " + std::to_string(at - line_start + 1);
}

}  // namespace

json parse_json_text(const std::string& text, const std::string& origin)
{
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw ScenarioError(origin, "", "the file is empty; expected a JSON object such as {}");
  json document;
  LocatingDomParser sax(document);
  if (json::sax_parse(text, &sax))
    return document;
  if (!sax.duplicate_path().empty())
    throw ScenarioError(origin, sax.duplicate_path(),
                        "key given twice in the same object; each key may appear once (JSON parsers disagree on "
                        "which one wins)");
  if (sax.error_id() == 406) {  // nlohmann: "number overflow parsing '1e400'"
    const size_t start = sax.error_position() - std::min(sax.error_position(), sax.error_token().size());
    throw ScenarioError(origin, "",
                        "malformed JSON: number out of range at " + line_and_column(text, start) + ": " +
                            sax.error_token() + " does not fit a double (largest about 1.8e308)");
  }
  const std::string& what = sax.error_what();  // "[json.exception.parse_error.101] parse error at line L, ..."
  const size_t cut        = what.find("] ");
  throw ScenarioError(origin, "", "malformed JSON: " + (cut == std::string::npos ? what : what.substr(cut + 2)));
}

json read_json_file(const std::string& path)
{
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ScenarioError(path, "", "is a directory, not a JSON file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ScenarioError(path, "", "cannot open file (" + std::string(std::strerror(errno)) + ")");
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > max_file_bytes)
      throw ScenarioError(path, "", "larger than 16 MiB; a scenario file is a few kilobytes");
  }
  if (in.bad())
    throw ScenarioError(path, "", "cannot read file (" + std::string(std::strerror(errno)) + ")");
  return parse_json_text(text, path);
}

}  // namespace migsim
