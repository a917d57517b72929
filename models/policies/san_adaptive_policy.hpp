// san-adaptive: splits the clean page cache between the LAN and the SAN so that both paths finish
// together (the idea of the journal version: Akiyama et al., IEICE Trans. E99-D(12), 2016, "parallel
// and adaptive transfer of page cache via SAN").
//
// With memory M to move, clean cache C, LAN rate B_lan and the storage -> destination path rate
// B_san, the SAN takes y = min(C, M / (B_lan / B_san + 1 + B_lan m)) bytes of cache (m: mapping time
// per byte; the mapping overlaps the LAN transfer and delays only the restore), the LAN the rest:
//   T* = max(M / (B_lan + B_san), (M - C) / B_lan)      when m = 0.
// With a useless SAN y = 0 and it is pre-copy; it is never slower than precopy or san-restore. It
// never drops cache, so it cannot beat drop-cache's (M - C) / B_lan unless the SAN keeps up.
// Limits: the split is decided once, at start, from the path rates then; later rounds wait for the
// restore as san-restore does.
#pragma once

#include "models/policies/san_restore_policy.hpp"

namespace migsim {

PolicyDeclaration san_adaptive_declaration();

class SanAdaptivePolicy : public SanRestorePolicy {
public:
  using SanRestorePolicy::SanRestorePolicy;

protected:
  RoundPlan first_round(const MigrationSnapshot& s) override;
};

}  // namespace migsim
