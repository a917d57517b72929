// The content of an LRU cache after an infinite past of independent requests, drawn exactly instead of
// replayed: the page cache starts the run in the steady state of the guest's IO workload.
//
// Record k (0-based) is requested with probability proportional to w_k = (k + 1)^-s (s = 0: uniform).
// Seen as Poisson arrivals, the time since record k was last requested is an independent exponential
// variable of rate w_k, and an LRU holds the records last requested most recently, in that order. So the
// `count` most recent records are the `count` smallest of the ages E_k / w_k (E_k ~ Exp(1)), sorted;
// this is the stationary distribution of LRU's recency order under independent references (the
// move-to-front chain: records drawn one after the other without replacement, each in proportion to
// its weight).
//
// Cost, O(records + count), and no request replayed: one uniform per record, tested against a bound on
// its age; a logarithm and a power only for the records whose age falls below a threshold T chosen (by
// Che's approximation) so that slightly more than `count` do; a bucket sort of those by age. Should
// fewer than `count` fall below T, the window is extended beyond T for the others (their age given
// that it exceeds T is T plus a fresh exponential), so the result is exact for every T.
#pragma once

#include "models/random_stream.hpp"

#include <cstdint>
#include <vector>

namespace migsim {

/// The min(count, records) most recently requested records, most recent first.
std::vector<uint32_t> most_recent_records(uint64_t records, double s, uint64_t count, RandomStream& random);
/// The same with the first window given instead of Che's (a short one has the window extended).
std::vector<uint32_t> most_recent_records(uint64_t records, double s, uint64_t count, double first_window,
                                          RandomStream& random);

/// Che's approximation: the expected number of distinct records requested within a window of length T
/// (in units where record k is requested at rate w_k): sum_k 1 - exp(-w_k T), within 1e-4.
double che_expected_records(uint64_t records, double s, double window);

}  // namespace migsim
