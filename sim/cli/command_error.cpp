#include "sim/cli/command_error.hpp"

#include "sim/scenario/scenario_error.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <exception>
#include <filesystem>

namespace migsim {

namespace {

int report(const char* prefix, const std::string& message, int status)
{
  std::fprintf(stderr, "migsim: %s: %s\n", prefix, one_line(message).c_str());
  return status;
}

/// "cannot create directories "ro/logs" (Permission denied)" from std::filesystem's "filesystem error:
/// cannot create directories: Permission denied [ro/logs]".
std::string filesystem_message(const std::filesystem::filesystem_error& e)
{
  std::string text          = e.what();
  const std::string prefix  = "filesystem error: ";
  const std::string reason  = ": " + e.code().message();
  if (text.rfind(prefix, 0) == 0)
    text.erase(0, prefix.size());
  const size_t at = text.find(reason);
  if (at == std::string::npos || e.path1().empty())
    return text;
  std::string message = text.substr(0, at) + " \"" + e.path1().string() + "\"";
  if (!e.path2().empty())
    message += " to \"" + e.path2().string() + "\"";
  return message + " (" + e.code().message() + ")";
}

}  // namespace

int report_bad_input(const std::string& message)
{
  return report("error", message, exit_bad_input);
}

int report_current_exception()
{
  try {
    throw;
  } catch (const InputError& e) {
    return report_bad_input(e.what());
  } catch (const FilesystemError& e) {
    return report("error", e.what(), exit_filesystem);
  } catch (const std::filesystem::filesystem_error& e) {  // a folder walked or made without an error code
    return report("error", filesystem_message(e), exit_filesystem);
  } catch (const nlohmann::json::type_error& e) {
    if (e.id != 316)  // only a text that is not UTF-8 (a file name, an argument) is the input's fault
      return report("internal error", e.what(), exit_failed);
    return report_bad_input(std::string("a name or value is not valid UTF-8, which JSON cannot hold (") + e.what() + ")");
  } catch (const RunFailure& e) {
    return report("error", e.what(), exit_failed);
  } catch (const std::exception& e) {
    return report("internal error", e.what(), exit_failed);
  } catch (...) {
    return report("internal error", "an unknown exception", exit_failed);
  }
}

}  // namespace migsim
