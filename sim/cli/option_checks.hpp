// Command-line options shared by several commands, with checks that say what is expected (CLI11's
// PositiveNumber says "Value 0 not in range 0.000000 to 1797693...").
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
class Validator;
}  // namespace CLI

namespace migsim {

/// A whole number, 1 or more ("--jobs 0" says so).
const CLI::Validator& whole_number_check();
/// A number of seconds, 0 or more.
const CLI::Validator& seconds_check();
/// --jobs N, 1 or more, defaulting to the processors online.
void add_jobs_option(CLI::App& command, int& jobs);
/// --timeout SECONDS, 0 or more (0: no limit): "wall-clock seconds one WHAT may ..." in the help.
void add_timeout_option(CLI::App& command, double& seconds, const std::string& what);
/// --set /json/pointer=value (repeatable).
void add_set_option(CLI::App& command, std::vector<std::string>& overrides);

}  // namespace migsim
