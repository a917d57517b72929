#include "sim/scenario/json_file.hpp"

#include "sim/scenario/json_field_reader.hpp"
#include "sim/scenario/scenario_error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <vector>

namespace migsim {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

/// nlohmann's own DOM builder (json::parse uses it too), plus what json::parse cannot tell us: where a
/// number overflowed, and which key of an object came twice.
template <class Json>
class LocatingDomParser : public nlohmann::detail::json_sax_dom_parser<Json> {
  using Base = nlohmann::detail::json_sax_dom_parser<Json>;

public:
  using typename Base::binary_t;
  using typename Base::number_float_t;
  using typename Base::number_integer_t;
  using typename Base::number_unsigned_t;
  using typename Base::string_t;

  explicit LocatingDomParser(Json& root) : Base(root, false) {}

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
    return !too_deep() && Base::start_object(n);
  }
  bool end_object()
  {
    frames_.pop_back();
    return value_done(Base::end_object());
  }
  bool start_array(std::size_t n)
  {
    frames_.push_back({true, 0, "", {}});
    return !too_deep() && Base::start_array(n);
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
  const std::string& too_deep_path() const { return too_deep_path_; }
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

  /// Deeper documents are refused before anything recursive (copy, merge, destruction) sees them.
  bool too_deep()
  {
    if (frames_.size() <= max_json_depth)
      return false;
    too_deep_path_ = pointer();
    return true;
  }
  bool value_done(bool ok)
  {
    if (!frames_.empty() && frames_.back().is_array)
      ++frames_.back().index;
    return ok;
  }
  std::string pointer() const
  {
    std::string p;
    for (const Frame& f : frames_)
      p += "/" + (f.is_array ? std::to_string(f.index) : escape_pointer_token(f.key));
    return p;
  }

  std::vector<Frame> frames_;
  std::string duplicate_path_;
  std::string too_deep_path_;
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

template <class Json>
Json parse_as(const std::string& text, const std::string& origin)
{
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw ScenarioError(origin, "", "the file is empty; expected a JSON object such as {}");
  Json document;
  LocatingDomParser<Json> sax(document);
  if (Json::sax_parse(text, &sax))
    return document;
  if (!sax.too_deep_path().empty())
    throw ScenarioError(origin, sax.too_deep_path(),
                        "nested more than " + std::to_string(max_json_depth) + " levels deep; a scenario needs fewer than 10");
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

}  // namespace

namespace {

/// `path` opened for reading, if it is a regular file (a FIFO, a device or a folder is refused).
int open_regular_file(const std::string& path, const std::string& kind)
{
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below as not a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
      throw ScenarioError(path, "", "is a directory, not a " + kind);
    throw ScenarioError(path, "", "cannot open file (" + std::string(std::strerror(error)) + ")");
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    throw ScenarioError(path, "", S_ISDIR(info.st_mode) ? "is a directory, not a " + kind
                                                        : "is not a regular file (a FIFO, a device or a socket); expected a " + kind);
  }
  return fd;
}

/// Reads `fd` (closing it) until its end, or its first line when `first_line_only`, within the bounds.
std::string read_bounded(int fd, const std::string& path, size_t max_bytes, size_t max_line_bytes, const std::string& kind,
                         bool first_line_only)
{
  std::string text;
  size_t line_start = 0;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      throw ScenarioError(path, "", "cannot read file (" + std::string(std::strerror(error)) + ")");
    }
    if (n == 0)
      break;
    const size_t old_size = text.size();
    text.append(buffer, static_cast<size_t>(n));
    for (size_t at = old_size;;) {  // the lines this chunk ends or extends
      const size_t eol = text.find('\n', at);
      if ((eol == std::string::npos ? text.size() : eol) - line_start > max_line_bytes) {
        ::close(fd);
        throw ScenarioError(path, "", "has a line longer than " + std::to_string(max_line_bytes >> 10) +
                                          " KiB, the limit for a " + kind);
      }
      if (eol == std::string::npos)
        break;
      if (first_line_only) {
        ::close(fd);
        return text.substr(0, eol);
      }
      line_start = at = eol + 1;
    }
    if (text.size() > max_bytes) {
      ::close(fd);
      throw ScenarioError(path, "", "larger than " + std::to_string(max_bytes >> 20) + " MiB, the limit for a " + kind);
    }
  }
  ::close(fd);
  return first_line_only ? text.substr(0, text.find('\n')) : text;
}

}  // namespace

std::string read_text_file(const std::string& path, size_t max_bytes, const std::string& kind, size_t max_line_bytes)
{
  return read_bounded(open_regular_file(path, kind), path, max_bytes, max_line_bytes, kind, false);
}

std::string read_first_line(const std::string& path, size_t max_line_bytes, const std::string& kind)
{
  return read_bounded(open_regular_file(path, kind), path, max_line_bytes, max_line_bytes, kind, true);
}

json parse_json_text(const std::string& text, const std::string& origin)
{
  return parse_as<json>(text, origin);
}

json read_json_file(const std::string& path, size_t max_bytes)
{
  return parse_as<json>(read_text_file(path, max_bytes, "JSON file"), path);
}

ordered_json parse_ordered_json_text(const std::string& text, const std::string& origin)
{
  return parse_as<ordered_json>(text, origin);
}

ordered_json read_ordered_json_file(const std::string& path, size_t max_bytes)
{
  return parse_ordered_json_text(read_text_file(path, max_bytes, "JSON file"), path);
}

}  // namespace migsim
