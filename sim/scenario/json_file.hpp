// Reads a JSON document from a file (or text) so that every way it can be unusable is one located
// ScenarioError: missing, unreadable or a directory, empty, malformed (with line and column), a number
// too large for a double, a key given twice in one object (JSON allows it, and the last one would
// silently win).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace migsim {

/// Throws ScenarioError naming `path` (and the JSON path, for a duplicate key).
nlohmann::json read_json_file(const std::string& path);

/// The same checks on text already in memory; `origin` names it in messages.
nlohmann::json parse_json_text(const std::string& text, const std::string& origin);

}  // namespace migsim
