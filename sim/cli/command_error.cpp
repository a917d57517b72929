#include "sim/cli/command_error.hpp"

#include "sim/scenario/scenario_error.hpp"

#include <cstdio>
#include <exception>

namespace migsim {

namespace {

int report(const char* prefix, const std::string& message, int status)
{
  std::fprintf(stderr, "migsim: %s: %s\n", prefix, one_line(message).c_str());
  return status;
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
  } catch (const RunFailure& e) {
    return report("error", e.what(), exit_failed);
  } catch (const std::exception& e) {
    return report("internal error", e.what(), exit_failed);
  } catch (...) {
    return report("internal error", "an unknown exception", exit_failed);
  }
}

}  // namespace migsim
