// A scenario's name becomes a folder name (results/NAME-TIME): 1 to 100 bytes of UTF-8 text without '/',
// '\' or control characters, not starting with '.' or '-' (the loader refuses any other). A name made
// from something a user did not write as a name (a record's file name, for `import qemu`) is derived
// with name_from_text() instead of being refused.
#pragma once

#include <cstddef>
#include <string>

namespace migsim {

constexpr size_t max_scenario_name_bytes = 100;

/// `text` with every byte that is not part of valid UTF-8, and every '/', '\' and control character,
/// replaced by '_', then cut to at most `max_bytes` bytes at a character boundary.
std::string name_from_text(const std::string& text, size_t max_bytes);

}  // namespace migsim
