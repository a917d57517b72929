// Minimum migration time (MMT) VM selection, Beloglazov and Buyya (CCPE 24(13), 2012), section 5.2:
// of the VMs running on an overloaded host, the one whose memory takes the least time to send at the
// host's expected migration rate, i.e. the VM with the least memory. Ties go to the lower VM index.
// VMs with a migration in flight or already moved this period are not candidates.
#pragma once

#include "models/consolidation/placement_state.hpp"

namespace migsim {

/// The VM to move off `host`, -1 if none can move.
int select_minimum_migration_time_vm(const PlacementState& state, int host);

}  // namespace migsim
