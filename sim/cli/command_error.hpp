// The one place that maps an error to its message and exit status, for every command (docs/errors.md):
//   0 done; 1 a run did not finish (RunFailure: "migsim: error:") or a bug ("migsim: internal error:");
//   2 bad input (InputError, ScenarioError, a command-line usage error, a name that is not UTF-8 where
//   JSON needs it); 3 some runs or checks failed (returned by the commands, not thrown); 4 the filesystem
//   refused (FilesystemError, and std::filesystem's own errors: a folder made or walked without an
//   error code), or stdout could not be written (main).
// Every message is one line on stderr, prefixed, naming the thing.
#pragma once

#include <stdexcept>
#include <string>

namespace migsim {

constexpr int exit_ok          = 0;
constexpr int exit_failed      = 1;
constexpr int exit_bad_input   = 2;
constexpr int exit_some_failed = 3;
constexpr int exit_filesystem  = 4;

/// A run that did not finish (wall_timeout): not a bug, but nothing to write either (exit status 1).
class RunFailure : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Prints the exception being handled (call it in a catch block) and returns its exit status.
int report_current_exception();

/// Prints a bad-input message (exit status 2) and returns exit_bad_input.
int report_bad_input(const std::string& message);

}  // namespace migsim
