// The files of a trace folder (one file per VM), in byte order of their names so that a run does not
// depend on the order the filesystem lists them in. The folder must exist and be a folder, and hold
// between 1 and `max_files` entries; each entry is handed to the format's reader, which refuses what
// is not a regular file (a subfolder, a FIFO) with the file named.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace migsim {

/// Paths of the entries of `folder`; `kind` ("PlanetLab trace") names the files in messages.
std::vector<std::string> trace_folder_entries(const std::string& folder, size_t max_files, const std::string& kind);

}  // namespace migsim
