#include "sim/scenario/scenario_name.hpp"

namespace migsim {

namespace {

/// The length of the valid UTF-8 character at `text[at]` (RFC 3629: no overlong forms, no surrogates,
/// nothing above U+10FFFF, as nlohmann::json checks when it writes a string), or 0.
size_t utf8_length(const std::string& text, size_t at)
{
  const auto byte = [&](size_t i) { return at + i < text.size() ? static_cast<unsigned char>(text[at + i]) : 0u; };
  const auto tail = [&](size_t i) { return byte(i) >= 0x80 && byte(i) <= 0xbf; };
  const unsigned c = byte(0);
  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf)
    return tail(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const unsigned low = c == 0xe0 ? 0xa0 : 0x80, high = c == 0xed ? 0x9f : 0xbf;
    return byte(1) >= low && byte(1) <= high && tail(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const unsigned low = c == 0xf0 ? 0x90 : 0x80, high = c == 0xf4 ? 0x8f : 0xbf;
    return byte(1) >= low && byte(1) <= high && tail(2) && tail(3) ? 4 : 0;
  }
  return 0;
}

}  // namespace

std::string name_from_text(const std::string& text, size_t max_bytes)
{
  std::string name;
  for (size_t at = 0; at < text.size();) {
    const size_t n       = utf8_length(text, at);
    const unsigned char c = static_cast<unsigned char>(text[at]);
    const bool kept       = n > 0 && !(n == 1 && (c < 0x20 || c == 0x7f || c == '/' || c == '\\'));
    const std::string piece = kept ? text.substr(at, n) : "_";
    if (name.size() + piece.size() > max_bytes)
      break;
    name += piece;
    at += kept ? n : 1;
  }
  return name;
}

}  // namespace migsim
