// A consolidation policy's working copy of where the VMs are, built from a DataCentreSnapshot and
// changed as the policy plans its moves (the snapshot itself is never changed). A VM with a
// migration in flight counts on both hosts (its CPU demand and memory), since both hold it until the
// migration ends, and cannot be moved again. A host's utilisation is its VMs' current demand over
// its capacity; its utilisation history is the sum of its VMs' demand histories over its capacity,
// as long as the shortest of those histories, newest last.
#pragma once

#include "models/consolidation/datacentre_snapshot.hpp"

#include <cstddef>
#include <vector>

namespace migsim {

class PlacementState {
public:
  explicit PlacementState(const DataCentreSnapshot& snapshot);

  const DataCentreSnapshot& snapshot() const { return snapshot_; }
  size_t host_count() const { return snapshot_.hosts.size(); }
  const HostState& host(int h) const { return snapshot_.hosts[static_cast<size_t>(h)]; }
  const VmState& vm(int v) const { return snapshot_.vms[static_cast<size_t>(v)]; }

  /// VMs on `host` as planned so far, those arriving by a migration in flight included.
  const std::vector<int>& vms_on(int host) const { return hosts_[static_cast<size_t>(host)].vms; }
  double demand_mips(int host) const { return hosts_[static_cast<size_t>(host)].demand_mips; }
  double memory_bytes(int host) const { return hosts_[static_cast<size_t>(host)].memory_bytes; }
  double utilisation(int host) const;
  bool powered_on(int host) const { return hosts_[static_cast<size_t>(host)].powered_on; }
  void set_powered_on(int host, bool on) { hosts_[static_cast<size_t>(host)].powered_on = on; }
  /// Whether a migration in flight leaves or enters `host`.
  bool has_migration_in_flight(int host) const { return hosts_[static_cast<size_t>(host)].in_flight; }

  /// Whether `vm` may be moved now: no migration in flight, not moved yet this period.
  bool movable(int vm) const;
  /// Whether `host` has the memory and the CPU for `vm`'s current demand on top of what it holds.
  bool fits(int vm, int host) const;
  /// The time `vm` would take to leave `host` at the host's expected migration rate (s).
  double migration_time_s(int vm, int host) const;

  void add(int vm, int host);
  void remove(int vm, int host);
  void mark_moved(int vm) { moved_[static_cast<size_t>(vm)] = true; }

  /// The last (at most) `length` utilisation values of `host`, oldest first; empty without VMs.
  std::vector<double> utilisation_history(int host, size_t length) const;

private:
  struct HostLoad {
    std::vector<int> vms;
    double demand_mips  = 0;
    double memory_bytes = 0;
    bool powered_on     = false;
    bool in_flight      = false;
  };
  const DataCentreSnapshot& snapshot_;
  std::vector<HostLoad> hosts_;
  std::vector<bool> moved_;
};

/// A rule that says whether a host is overloaded, on the state planned so far.
class OverloadDetector {
public:
  virtual ~OverloadDetector()                                         = default;
  virtual bool overloaded(const PlacementState& state, int host) const = 0;
};

}  // namespace migsim
