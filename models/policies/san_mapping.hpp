// The mapping step of the SAN policies (san-restore, san-adaptive, san-lazy, postcopy with san_cache):
// before the destination can read clean page cache from shared storage, the source maps each page
// to its disk block, at `map_time_per_GiB` seconds per GiB of clean cache, while the guest keeps
// running (Akiyama et al., IEEE CLOUD 2014). Declared once here, listed by each of those policies.
#pragma once

#include "models/param_spec.hpp"

namespace migsim {

inline ParamSpec map_time_per_GiB_spec()
{
  return {"map_time_per_GiB", Quantity::Duration, 0.2, 0, 3600,
          "time to map 1 GiB of clean page cache to its disk blocks (guest keeps running)"};
}

/// For the declarations of the policies that always read from the SAN.
inline bool always_reads_san(const PolicyParams&)
{
  return true;
}

}  // namespace migsim
