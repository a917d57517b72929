// The Bitbrains trace format (GWA-T-12, fastStorage and Rnd; Shen, van Beek and Iosup, CCGrid 2015):
// one file per VM, a header line, then one row per 300 s of 11 fields separated by ";\t":
// timestamp (s, despite the header's "[ms]"), CPU cores, CPU capacity provisioned (MHz), CPU usage
// (MHz), CPU usage (%), memory provisioned (KB), memory used (KB), disk read and write (KB/s),
// network received and transmitted (KB/s). The reader keeps the CPU usage in percent as the
// utilisation, and the first row's cores, CPU capacity and provisioned memory (KB read as 1,024
// bytes) as the VM's.
//
// Every way a file can be unusable is one ScenarioError naming the file, the line and the column:
// the checks of read_text_file (missing, a directory, a FIFO, larger than 64 MiB, a line longer than
// 1 MiB), an empty file or one with a header only, a header that is not Bitbrains', a row with
// another number of fields, a field that is not a finite number, a negative value, a CPU usage above
// 100 %, no CPU core or capacity, timestamps that do not increase. Blank lines are skipped; "\r\n" is accepted.
#pragma once

#include "sim/scenario/cpu_trace.hpp"

#include <cstddef>
#include <string>

namespace migsim {

/// A month of 300 s rows is about 1.3 MB; the same limit as dirtying traces.
constexpr size_t max_bitbrains_file_bytes = size_t{64} << 20;

CpuTrace parse_bitbrains_trace(const std::string& text, const std::string& origin);
CpuTrace read_bitbrains_trace(const std::string& path);

}  // namespace migsim
