// san-restore: the mechanism of Akiyama et al., "Fast Live Migration with Small IO Performance Penalty
// by Exploiting SAN in Parallel", IEEE CLOUD 2014.
//
// At start the source maps every clean page-cache page to its disk block, which takes `map_time` per
// GiB of clean cache (the guest keeps running). The source then pre-copies everything else over the
// LAN while the destination reads the mapped blocks from shared storage over the SAN, in parallel.
// A mapped page written during migration is dirty and goes over the LAN; that copy wins. The VM
// resumes only once the restore is complete, so it arrives with a warm cache. While the restore is
// still running when pre-copy would stop, a round waits for it instead of spinning.
//   T ~ T_map + max(T_lan(M - C), C / B_san) + downtime
#pragma once

#include "models/policies/precopy_policy.hpp"

namespace migsim {

PolicyDeclaration san_restore_declaration();

class SanRestorePolicy : public PrecopyPolicy {
public:
  explicit SanRestorePolicy(double map_s_per_GiB) : map_s_per_GiB_(map_s_per_GiB) {}

protected:
  RoundPlan first_round(const MigrationSnapshot& s) override;
  void stop_rule(const MigrationSnapshot& s, RoundPlan& plan) override;
  /// Mapping time of `pages` clean-cache pages.
  double map_time(const MigrationSnapshot& s, uint64_t pages) const
  {
    return map_s_per_GiB_ * static_cast<double>(pages * s.memory.page_size()) / 1073741824.0;
  }

private:
  double map_s_per_GiB_;
};

}  // namespace migsim
