// A problem with user input, located: "FILE: /json/path: what is wrong". The CLI prints it and exits 2.
#pragma once

#include <stdexcept>
#include <string>

namespace migsim {

class ScenarioError : public std::runtime_error {
public:
  ScenarioError(const std::string& file, const std::string& path, const std::string& message)
      : std::runtime_error(file + ": " + (path.empty() ? "" : path + ": ") + message), path_(path), message_(message)
  {
  }
  const std::string& path() const { return path_; }
  const std::string& message() const { return message_; }

private:
  std::string path_;
  std::string message_;
};

}  // namespace migsim
