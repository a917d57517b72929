// A whole number written by a user (an index in a metric name or a JSON pointer, a run range): digits
// only, at most `max`. std::stoi and its kin throw std::out_of_range on "99999999999", which would be an
// internal error where the input is at fault; this says "not a number" with std::nullopt instead.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>

namespace migsim {

inline std::optional<uint64_t> parse_whole_number(const std::string& text, uint64_t max = UINT64_MAX)
{
  uint64_t value = 0;
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value > max)
    return std::nullopt;
  return value;
}

}  // namespace migsim
