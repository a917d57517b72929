// A recorded (or generated) dirtying workload, read from CSV, to replay against the memory model.
//
// Two formats, told apart by the header line:
//  - page trace `time_s,first_page,pages[,class]`: one line per write burst; at guest time `time_s`
//    the guest writes pages [first_page, first_page + pages). The optional `class` (anonymous,
//    clean_cache, dirty_cache, free) is what the pages hold afterwards: a block read into the cache
//    is `clean_cache`, a freed page `free` (freeing changes no content, so it dirties nothing);
//    without it a burst is an ordinary write (clean cache becomes dirty cache, free anonymous).
//  - rate series `time_s,rate_Bps`: from `time_s` on the guest dirties `rate_Bps` bytes per second,
//    the pages chosen by the scenario's pattern (QEMU's `calc-dirty-rate` results, converted).
// Times are guest seconds (see DirtyingModel), non-decreasing. Blank lines and lines starting with
// '#' are skipped. Limits: a page trace replays each burst once and writes nothing after its last
// line; it names page numbers of the guest it was recorded on, so it only fits a guest at least that big.
#pragma once

#include "models/guest_memory.hpp"

#include <cstdint>
#include <istream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace migsim {

/// A problem in a trace file, located by line (1-based) and column name; the caller adds the file.
class DirtyTraceError : public std::runtime_error {
public:
  DirtyTraceError(uint64_t line, std::string column, const std::string& message)
      : std::runtime_error(message), line_(line), column_(std::move(column))
  {
  }
  uint64_t line() const { return line_; }
  const std::string& column() const { return column_; }  ///< empty when the whole line is wrong
  /// "line 12, column first_page" (or "line 12").
  std::string where() const { return "line " + std::to_string(line_) + (column_.empty() ? "" : ", column " + column_); }

private:
  uint64_t line_;
  std::string column_;
};

struct DirtyBurst {
  double time_s;
  uint64_t first_page;
  uint64_t pages;
  std::optional<PageClass> page_class;  ///< what the pages hold afterwards; none: an ordinary write
};

struct DirtyRateStep {
  double time_s;
  double rate_Bps;
};

struct DirtyTrace {
  enum class Kind { Pages, Rates } kind = Kind::Pages;
  std::vector<DirtyBurst> bursts;    ///< Kind::Pages, by time
  std::vector<DirtyRateStep> rates;  ///< Kind::Rates, by time

  /// Page trace: pages written per guest second from 0 to the last burst (for reports; 0 for a
  /// rate series or an empty trace).
  double mean_pages_per_s() const;
};

/// Reads a trace; every page range must lie within `page_count` pages. Throws DirtyTraceError.
DirtyTrace parse_dirty_trace(std::istream& in, uint64_t page_count);

}  // namespace migsim
