// The length of the union of time intervals: how long at least one of several overlapping activities
// (the streams of a transfer, two pipes at once) was in some state. Intervals may come in any order.
#pragma once

#include <algorithm>
#include <utility>
#include <vector>

namespace migsim {

class IntervalUnion {
public:
  void add(double from, double to)
  {
    if (to > from)
      intervals_.emplace_back(from, to);
  }
  /// The total length covered by at least one interval.
  double length() const
  {
    std::vector<std::pair<double, double>> sorted = intervals_;
    std::sort(sorted.begin(), sorted.end());
    double total = 0, end = -1e300;
    for (const auto& [from, to] : sorted) {
      if (to <= end)
        continue;
      total += to - std::max(from, end);
      end = to;
    }
    return total;
  }

private:
  std::vector<std::pair<double, double>> intervals_;
};

}  // namespace migsim
