// A data centre's consolidation (`/consolidation`, docs/consolidation.md): a consolidation policy that
// decides every period which VMs move where, over VMs whose CPU demand follows recorded traces. Read and
// checked by consolidation_loader.cpp (traces read, VMs placed); run by the engine's ConsolidationRun.
// Plain data, no SimGrid.
#pragma once

#include "models/param_spec.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace migsim {

/// What a consolidation VM asks for: its MIPS (demand = trace utilisation x mips) and its memory.
struct ConsolidationVmType {
  std::string name;
  double mips         = 0;
  double memory_bytes = 0;
};

struct ConsolidationSpec {
  std::string policy;
  PolicyParams params;
  double period_s    = 0;   ///< the policy's `period`
  size_t periods     = 0;   ///< decisions in the run: it lasts periods x period_s
  double degradation = 0;   ///< PDM: the share of a VM's CPU lost while it migrates
  size_t history     = 0;   ///< demand values kept per VM for the policy
  bool check_memory  = true;  ///< whether a host's memory limits the VMs placed on it
  std::vector<ConsolidationVmType> types;  ///< Scenario::vms holds each type's migration template
  // One entry per VM:
  std::vector<std::string> vm_names;          ///< its trace's file name (tiled traces: "NAME#k")
  std::vector<int> vm_type;                   ///< index into types
  std::vector<int> initial_host;              ///< where power-aware best-fit decreasing put it
  std::vector<std::vector<float>> utilisation;  ///< per period, from its trace (0..1)
};

}  // namespace migsim
