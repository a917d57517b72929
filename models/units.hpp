// Physical quantities in scenario files: sizes, rates and durations.
//
// Every quantity accepts either a plain JSON number in SI base units (bytes, bytes/s, seconds) or a
// string with a unit: "4GiB", "512MB", "1Gbps", "125MBps", "30ms". Decimal prefixes (k, M, G, T) are
// powers of 1000, binary ones (Ki, Mi, Gi, Ti) powers of 1024. Rates ending in "bps" are bits per
// second, "Bps" (or "B/s") bytes per second. A unit of the wrong kind ("1Gbps" for a size) is an error.
#pragma once

#include <stdexcept>
#include <string>

namespace migsim {

enum class Quantity { Bytes, Rate, Duration };

/// Thrown with a message that says what was expected; the caller adds the file and JSON path.
class UnitError : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

/// Parses "4GiB"-style text into SI base units (bytes, bytes/s or seconds).
double parse_quantity(const std::string& text, Quantity kind);

/// What a value of this kind looks like, for error messages ("a size such as \"4GiB\" or 4294967296").
std::string quantity_example(Quantity kind);

}  // namespace migsim
