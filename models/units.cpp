#include "models/units.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <utility>
#include <vector>

namespace migsim {
namespace {

struct Unit {
  const char* suffix;
  double factor;
};

// Longest suffixes first so that "GiB" is not read as "B" after a number "4Gi".
const std::vector<Unit>& units_for(Quantity kind)
{
  static const std::vector<Unit> bytes = {
      {"TiB", 1099511627776.0}, {"GiB", 1073741824.0}, {"MiB", 1048576.0}, {"KiB", 1024.0},
      {"TB", 1e12},             {"GB", 1e9},           {"MB", 1e6},        {"kB", 1e3},
      {"KB", 1e3},              {"B", 1.0}};
  static const std::vector<Unit> rates = {
      {"TiBps", 1099511627776.0}, {"GiBps", 1073741824.0}, {"MiBps", 1048576.0}, {"KiBps", 1024.0},
      {"TBps", 1e12},             {"GBps", 1e9},           {"MBps", 1e6},        {"kBps", 1e3},
      {"KBps", 1e3},              {"Bps", 1.0},            {"Tbps", 1e12 / 8},   {"Gbps", 1e9 / 8},
      {"Mbps", 1e6 / 8},          {"kbps", 1e3 / 8},       {"Kbps", 1e3 / 8},    {"bps", 1.0 / 8},
      {"GiB/s", 1073741824.0},    {"MiB/s", 1048576.0},    {"GB/s", 1e9},        {"MB/s", 1e6},
      {"kB/s", 1e3},              {"B/s", 1.0}};
  static const std::vector<Unit> durations = {{"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}, {"min", 60.0},
                                              {"h", 3600.0}, {"s", 1.0}};
  switch (kind) {
    case Quantity::Bytes:
      return bytes;
    case Quantity::Rate:
      return rates;
    default:
      return durations;
  }
}

}  // namespace

std::string quantity_example(Quantity kind)
{
  switch (kind) {
    case Quantity::Bytes:
      return "a size such as \"4GiB\", \"512MB\" or a number of bytes";
    case Quantity::Rate:
      return "a rate such as \"1Gbps\", \"125MBps\" or a number of bytes per second";
    default:
      return "a duration such as \"30ms\", \"2s\" or a number of seconds";
  }
}

double parse_quantity(const std::string& text, Quantity kind)
{
  const char* begin = text.c_str();
  char* end         = nullptr;
  const auto hex    = text.find_first_of("xX");
  if (hex != std::string::npos && hex < 3 && text.find_first_of("0") < hex)  // strtod would read "0x10" as 16
    throw UnitError("\"" + text + "\" is not " + quantity_example(kind));
  double number     = std::strtod(begin, &end);
  if (end == begin || !std::isfinite(number))
    throw UnitError("\"" + text + "\" is not " + quantity_example(kind));
  std::string suffix(end);
  while (!suffix.empty() && suffix.front() == ' ')
    suffix.erase(suffix.begin());
  while (!suffix.empty() && suffix.back() == ' ')
    suffix.pop_back();
  if (suffix.empty())
    return number;  // plain number in a string: SI base units
  for (const Unit& unit : units_for(kind))
    if (suffix == unit.suffix)
      return number * unit.factor;
  throw UnitError("\"" + text + "\" has unknown unit \"" + suffix + "\"; expected " + quantity_example(kind));
}

}  // namespace migsim
