// A VM's recorded CPU utilisation over time, as the trace readers return it: one file, one VM.
// Utilisation is the fraction of the VM's own CPU capacity it used (0..1), sample by sample, at
// times counted from the first sample. What else a format records about the VM is kept when there
// (cores, CPU capacity, memory); 0 where the format has nothing.
#pragma once

#include <string>
#include <vector>

namespace migsim {

struct CpuTrace {
  std::string name;  ///< the file's name, without its folder
  std::vector<double> time_s;
  std::vector<double> utilisation;
  double cores        = 0;
  double capacity_Hz  = 0;
  double memory_bytes = 0;
};

}  // namespace migsim
