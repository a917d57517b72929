// A problem with user input, located: "FILE: /json/path: what is wrong". The CLI prints it and exits 2.
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

class ScenarioError : public std::runtime_error {
public:
  ScenarioError(const std::string& file, const std::string& path, const std::string& message)
      : std::runtime_error(one_line(file + ": " + (path.empty() ? "" : path + ": ") + message))
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
