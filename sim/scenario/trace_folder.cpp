#include "sim/scenario/trace_folder.hpp"

#include "sim/scenario/scenario_error.hpp"

#include <algorithm>
#include <filesystem>

namespace migsim {

std::vector<std::string> trace_folder_entries(const std::string& folder, size_t max_files, const std::string& kind)
{
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw ScenarioError(folder, "", fs::exists(folder, ec) ? "is not a folder; expected a folder of " + kind + " files"
                                                           : "no such folder; expected a folder of " + kind + " files");
  std::vector<std::string> names;
  try {
    for (const auto& entry : fs::directory_iterator(folder)) {
      names.push_back(entry.path().filename().string());
      if (names.size() > max_files)
        throw ScenarioError(folder, "", "holds more than " + std::to_string(max_files) + " entries, the limit for a folder of " + kind + " files");
    }
  } catch (const fs::filesystem_error& e) {
    throw ScenarioError(folder, "", std::string("cannot list the folder (") + e.code().message() + ")");
  }
  if (names.empty())
    throw ScenarioError(folder, "", "the folder is empty; expected " + kind + " files, one per VM");
  std::sort(names.begin(), names.end());
  std::vector<std::string> paths;
  paths.reserve(names.size());
  for (const std::string& name : names)
    paths.push_back((fs::path(folder) / name).string());
  return paths;
}

}  // namespace migsim
