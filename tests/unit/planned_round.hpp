// The policy unit tests check a round's decisions flat, one field each, together with what the
// simulator derives from them: the status its stop reason names and, when the policy's parameters
// switch a page encoding on, the LAN encoding's cost (sim/engine applies PageEncoding the same way).
#pragma once

#include "models/page_encoding.hpp"
#include "models/policies/migration_policy.hpp"

#include <optional>
#include <string>

namespace migsim {

struct PlannedRound {
  PageBitmap lan, san, drop;
  double rate_cap_Bps;
  bool skip_rewritten;
  Switchover switchover;
  std::string status;
  double throttle;
  std::optional<uint64_t> lan_wire_bytes;
  double cpu_s;
};

inline PlannedRound flatten(const RoundPlan& p, const LanEncoding& encoded = {})
{
  return {p.lan.pages,         p.san.pages, p.drop, p.lan.rate_cap_Bps, p.lan.skip_rewritten, p.switchover.kind,
          to_string(p.switchover.reason), p.throttle, encoded.wire_bytes, encoded.cpu_s};
}

}  // namespace migsim
