// How the guest writes to its memory while it runs, with page identity: a page written twice in one
// round is sent once, so dirtying saturates as in real guests (distinct pages after t seconds over N
// pages at d writes/s: N (1 - exp(-d t / N)) for uniform writes).
//
// Patterns:
//  - uniform:    each write hits a page drawn uniformly from all pages;
//  - hotset:     a share `hot_share` of writes hits the first `hot_fraction` of pages (uniformly within),
//                the rest hits the other pages;
//  - sequential: writes sweep memory in page order and wrap around, so no page is re-written before
//                the whole memory has been: the no-re-dirtying case of the pre-copy closed form;
//  - zipf:       a write hits the page of Zipf rank r with probability ~ r^-s (s = `zipf_exponent`);
//                rank r is page r - 1, so the hottest pages are the lowest-numbered ones, anonymous
//                memory in the initial layout, as with hotset (a skew without a sharp hot/cold edge).
// The number of writes in an interval is rate x length, with the fractional part carried over, so the
// model can be advanced lazily to "now" whenever someone looks.
//
// Time is guest time: the seconds the guest has actually run, which stop while it is paused and
// slow down while it is throttled (RunningGuest converts). A phased workload (`phases`) changes
// pattern and rate at given guest times; a page trace (`trace`, see dirty_trace.hpp) replaces the
// patterns altogether and replays recorded bursts at their guest times.
#pragma once

#include "models/dirty_trace.hpp"
#include "models/guest_memory.hpp"
#include "models/random_stream.hpp"
#include "models/zipf_distribution.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace migsim {

enum class DirtyPattern { Uniform, HotSet, Sequential, Zipf };

/// From guest time `at_s` on, the guest writes this way (one stretch of a phased workload).
struct DirtyingPhase {
  double at_s          = 0;
  DirtyPattern pattern = DirtyPattern::Uniform;
  double pages_per_s   = 0;
  double hot_fraction  = 0.1;
  double hot_share     = 0.9;
  double zipf_exponent = 1.0;
};

struct DirtyingSpec {
  DirtyPattern pattern = DirtyPattern::Uniform;
  double pages_per_s   = 0;    ///< page writes per second
  double hot_fraction  = 0.1;  ///< hotset: fraction of pages that are hot
  double hot_share     = 0.9;  ///< hotset: fraction of writes that go to hot pages
  double zipf_exponent = 1.0;  ///< zipf: P(rank r) ~ r^-s
  /// Later stretches, by increasing at_s (> 0); the fields above hold before the first of them.
  std::vector<DirtyingPhase> phases;
  /// A page trace (DirtyTrace::Kind::Pages): when set, the guest's writes are the trace's bursts.
  std::shared_ptr<const DirtyTrace> trace;
};

/// A rate series (DirtyTrace::Kind::Rates) as phases: each step keeps `base`'s pattern and changes
/// the rate (bytes/s over `page_size`-byte pages) from its time on.
std::vector<DirtyingPhase> phases_from_rates(const DirtyTrace& trace, const DirtyingSpec& base, double page_size);

class DirtyingModel {
public:
  DirtyingModel(const DirtyingSpec& spec, uint64_t seed);

  /// Applies the writes of `seconds` of guest run time to `memory`.
  void advance(GuestMemory& memory, double seconds);
  const DirtyingSpec& spec() const { return spec_; }
  /// Guest seconds run so far (the clock of phases and traces).
  double guest_time() const { return guest_time_; }

private:
  void write_phase(GuestMemory& memory, const DirtyingPhase& phase, double seconds);
  void replay_trace(GuestMemory& memory, double until);
  uint64_t pick_page(const DirtyingPhase& phase, uint64_t page_count);

  DirtyingSpec spec_;
  std::vector<DirtyingPhase> phases_;  // phase 0 from the spec's own fields, then spec_.phases
  size_t phase_       = 0;             // the phase guest_time_ is in
  RandomStream random_;
  double carry_       = 0;  // fractional write left from the previous interval
  uint64_t cursor_    = 0;  // sequential pattern: next page to write
  double guest_time_  = 0;
  size_t next_burst_  = 0;  // page trace: the first burst not replayed yet
  std::optional<ZipfDistribution> zipf_;  // built for (zipf_pages_, zipf_exponent_) on first use
  uint64_t zipf_pages_   = 0;
  double zipf_exponent_  = 0;
};

}  // namespace migsim
