// The command line a SimGrid engine of this build starts with: SimGrid takes its settings from argv.
// Logs below `log_threshold` are off (migsim reports through its own outputs), and a sanitized build
// uses SimGrid's thread contexts (sanitizer_build.hpp says why).
#pragma once

#include "sim/engine/sanitizer_build.hpp"

#include <string>
#include <vector>

namespace migsim {

class EngineArguments {
public:
  explicit EngineArguments(const std::string& log_threshold)
      : texts_{"migsim", "--log=root.thres:" + log_threshold, "--cfg=contexts/factory:thread"}
  {
    for (size_t i = 0; i < (built_with_asan ? 3 : 2); ++i)
      argv_.push_back(texts_[i].data());
    argc_ = static_cast<int>(argv_.size());
    argv_.push_back(nullptr);
  }
  EngineArguments(const EngineArguments&) = delete;
  EngineArguments& operator=(const EngineArguments&) = delete;

  int* argc() { return &argc_; }
  char** argv() { return argv_.data(); }

private:
  std::string texts_[3];
  std::vector<char*> argv_;
  int argc_ = 0;
};

}  // namespace migsim
