// The one way to read a file given by the user: JSON (scenarios, sweep files, validation sidecars, sweep
// plans, per-run records) and text (dirtying traces, per-run CSV). Every way it can be unusable is one
// located ScenarioError naming the file: missing, unreadable, a directory or anything but a regular file
// (a FIFO would hang), larger than its limit, empty, malformed (with line and column), a number too
// large for a double, a key given twice in one object (JSON allows it, and the last one would silently
// win).
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace migsim {

/// A scenario, sweep file or sidecar is a few kilobytes; this stops /dev/zero and friends.
constexpr size_t max_json_file_bytes = size_t{16} << 20;

/// Files migsim wrote itself and reads back (a sweep's plan.json of up to max_sweep_runs runs, per-run
/// CSV results): bounded too, far above what a valid sweep makes.
constexpr size_t max_data_file_bytes = size_t{1} << 30;

/// Objects and arrays nested deeper than this are refused (a scenario needs fewer than 10 levels).
constexpr size_t max_json_depth = 64;

/// Lines of the CSV files migsim writes and reads back are short (a header of a few dozen columns, a
/// row of numbers); a longer one is damage, refused before it fills the memory.
constexpr size_t max_csv_line_bytes = size_t{1} << 20;

/// The whole of a regular file of at most `max_bytes`, none of its lines longer than `max_line_bytes`;
/// `kind` ("JSON file", "trace file") names it in messages.
std::string read_text_file(const std::string& path, size_t max_bytes, const std::string& kind,
                           size_t max_line_bytes = SIZE_MAX);

/// The first line of a regular file (without its line break), at most `max_line_bytes` long: a CSV
/// header, read without the rest of the file.
std::string read_first_line(const std::string& path, size_t max_line_bytes, const std::string& kind);

nlohmann::json read_json_file(const std::string& path, size_t max_bytes = max_json_file_bytes);
/// The same, keeping the keys in file order (sweep files: the order of their axes matters).
nlohmann::ordered_json read_ordered_json_file(const std::string& path, size_t max_bytes = max_json_file_bytes);

/// The same checks on text already in memory; `origin` names it in messages.
nlohmann::json parse_json_text(const std::string& text, const std::string& origin);
nlohmann::ordered_json parse_ordered_json_text(const std::string& text, const std::string& origin);

}  // namespace migsim
