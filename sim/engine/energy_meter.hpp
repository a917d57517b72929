// The energy of one migration, from its start to the resume (post-copy: to the last page): what the
// source and destination hosts consumed over that span (SimGrid's host energy plugin: their idle
// power), plus the CPU work of moving the data, accounted per byte at the host's power per busy core
// (it never slows a transfer: that is /migration/stream_cpu_rate), plus the network and the storage
// array per byte moved (EnergySpec). Nothing is measured unless the scenario enables energy.
#pragma once

#include "sim/engine/platform_builder.hpp"
#include "sim/engine/run_result.hpp"
#include "sim/scenario/scenario.hpp"

namespace migsim {

class EnergyMeter {
public:
  EnergyMeter(const EnergySpec& spec, const MigrationHosts& hosts) : spec_(spec), hosts_(hosts) {}
  /// At migration start: the hosts' counters so far.
  void start();
  /// At the end: the energy fields of `result`, from the hosts' counters and its LAN and SAN bytes.
  void finish(RunResult& result) const;

private:
  const EnergySpec& spec_;
  MigrationHosts hosts_;
  double source_at_start_J_      = 0;
  double destination_at_start_J_ = 0;
};

}  // namespace migsim
