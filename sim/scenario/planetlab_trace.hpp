// The PlanetLab trace format of CloudSim's power examples (workload/planetlab/YYYYMMDD/, from CoMon,
// Park and Pai, ACM SIGOPS OSR 40(1), 2006): one file per VM, 288 lines, each one integer CPU
// utilisation in percent (0 to 100), one per 5 minutes, 24 hours. A folder holds one day; file
// names are host and slice names and may contain spaces.
//
// Every way a file or folder can be unusable is one ScenarioError naming the file and the line: the
// checks of read_text_file (missing, a directory, a FIFO, larger than 1 MiB, unreadable), an empty
// file, an empty line, a value that is not a whole number from 0 to 100, fewer or more than 288
// values. A line may end in "\r\n". A folder is read in byte order of the file names, so a run does
// not depend on the order the filesystem lists them in; every entry must be a trace file.
#pragma once

#include "sim/scenario/cpu_trace.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace migsim {

constexpr size_t planetlab_samples   = 288;
constexpr double planetlab_step_s    = 300;
/// 288 values of at most "100\r\n" are 1,440 bytes; a file above 1 MiB is not a PlanetLab trace.
constexpr size_t max_planetlab_file_bytes = size_t{1} << 20;
/// CloudSim's ten days hold 898 to 1,516 files each; far above that is a wrong folder.
constexpr size_t max_trace_folder_files = 200000;

/// `text` read from `origin` (named in errors).
CpuTrace parse_planetlab_trace(const std::string& text, const std::string& origin);
CpuTrace read_planetlab_trace(const std::string& path);
/// Every file of `folder`, in byte order of their names.
std::vector<CpuTrace> read_planetlab_folder(const std::string& folder);

}  // namespace migsim
