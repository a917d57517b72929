// The errors a user can cause, by class; sim/cli/command_error.hpp maps each to its message prefix and
// exit status (docs/errors.md). ScenarioError is bad input located in a file: "FILE: /json/path: what".
#pragma once

#include <stdexcept>
#include <string>

namespace migsim {

/// `text` on one line: control characters (a newline in a JSON key or a file name) as escapes, so that
/// an error is always exactly one line on stderr.
inline std::string one_line(const std::string& text)
{
  std::string out;
  for (unsigned char c : text) {
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c < 0x20 || c == 0x7f) {
      const char* hex = "0123456789abcdef";
      out += std::string("\\x") + hex[c >> 4] + hex[c & 15];
    } else
      out += static_cast<char>(c);
  }
  return out;
}

/// Bad input (exit status 2): a command-line option, an output folder that is not free.
class InputError : public std::runtime_error {
public:
  explicit InputError(const std::string& message) : std::runtime_error(one_line(message)) {}
};

/// The filesystem refused (exit status 4): a folder that cannot be created or written, a full disk.
/// The user's environment, not a bug; the message names the path and the system's reason.
class FilesystemError : public std::runtime_error {
public:
  explicit FilesystemError(const std::string& message) : std::runtime_error(one_line(message)) {}
};

/// Bad input located in a file (exit status 2).
class ScenarioError : public InputError {
public:
  ScenarioError(const std::string& file, const std::string& path, const std::string& message)
      : InputError(one_line(file + ": " + (path.empty() ? "" : path + ": ") + message))
      , path_(path)
      , message_(message)
  {
  }
  const std::string& path() const { return path_; }
  const std::string& message() const { return message_; }

private:
  std::string path_;
  std::string message_;
};

}  // namespace migsim
