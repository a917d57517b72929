// migsim: the command line. A thin layer over sim/: CLI11 parses the arguments (SimGrid never sees
// them), one class per command carries them out (sim/cli/*_command.hpp), and every error becomes one
// message and exit status in one place (command_error.hpp, docs/errors.md).
#include "build_info.hpp"
#include "models/policies/policy_registry.hpp"
#include "sim/cli/command_error.hpp"
#include "sim/cli/import_command.hpp"
#include "sim/cli/policies_command.hpp"
#include "sim/cli/run_command.hpp"
#include "sim/cli/sweep_command.hpp"
#include "sim/cli/validate_command.hpp"
#include "sim/cli/validate_suite_command.hpp"
#include "sim/sweep/sweep_runner.hpp"

#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

std::string join_command_line(int argc, char** argv)
{
  std::string line;
  for (int i = 0; i < argc; ++i)
    line += (i ? " " : "") + std::string(argv[i]);
  return line;
}

/// "frobnicate" where a command is expected: CLI11 would say "A subcommand is required".
std::string unknown_command(const CLI::App& app, int argc, char** argv)
{
  if (argc < 2 || argv[1][0] == '-')
    return "";
  std::string names;
  for (const CLI::App* sub : app.get_subcommands({}))
    if (sub->get_name() == argv[1])
      return "";
    else
      names += (names.empty() ? "" : ", ") + sub->get_name();
  return "unknown command \"" + std::string(argv[1]) + "\"; commands are: " + names;
}

/// A standard stream that is closed (`migsim run >&-`) would be taken by the next file or pipe migsim
/// opens (the pipe from a simulation), which would then receive what migsim prints: /dev/null takes it.
void open_closed_standard_streams()
{
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd)
    if (::fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
      const int null = ::open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY);  // the lowest free fd: fd
      if (null >= 0 && null != fd) {
        ::dup2(null, fd);
        ::close(null);
      }
    }
}

/// What a command printed on stdout (a scenario, a report, a table) must have reached it: a full disk
/// or /dev/full is the filesystem refusing (exit status 4), not success.
int check_stdout_written(int status)
{
  if (status != migsim::exit_ok && status != migsim::exit_some_failed)
    return status;  // the error is told already, in one line
  errno              = 0;
  const bool flushed = std::fflush(stdout) == 0 && !std::ferror(stdout);
  const int error    = errno;
  const bool closed  = std::fclose(stdout) == 0;  // a network filesystem may report only here
  if (flushed && closed)
    return status;
  std::fprintf(stderr, "migsim: error: cannot write to stdout (%s)\n", std::strerror(!flushed && error ? error : errno));
  return migsim::exit_filesystem;
}

}  // namespace

// main's body; a sweep's runs call it in forked children (sim/sweep/sweep_runner.hpp).
static int migsim_main(int argc, char** argv)
{
  using namespace migsim;
  CLI::App app{"migsim: discrete-event simulator of VM live-migration strategies (on SimGrid)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(build_info::version) + " (SimGrid " + build_info::simgrid_version + ")");
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(std::make_unique<RunCommand>(app, join_command_line(argc, argv)));
  commands.push_back(std::make_unique<ValidateCommand>(app));
  commands.push_back(std::make_unique<PoliciesCommand>(app));
  commands.push_back(std::make_unique<SweepCommand>(app));
  commands.push_back(std::make_unique<ValidateSuiteCommand>(app));
  commands.push_back(std::make_unique<ImportCommand>(app));

  const std::string unknown = unknown_command(app, argc, argv);
  if (!unknown.empty())
    return report_bad_input(unknown);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    return report_bad_input(std::string(e.what()) + " (see migsim --help)");
  }
  try {
    for (const auto& command : commands)
      if (command->chosen())
        return command->run();
  } catch (...) {
    return report_current_exception();
  }
  return exit_ok;
}

int main(int argc, char** argv)
{
  open_closed_standard_streams();
  migsim::set_in_process_main(migsim_main);
  const int status = check_stdout_written(migsim_main(argc, argv));
  // Everything migsim writes is complete by now (result files are closed and renamed into place); what
  // exit() would add is the static destructors of SimGrid and its ns-3 libraries, about 7 % of the CPU
  // of an idle run (docs/performance.md).
  std::fflush(nullptr);
  std::_Exit(status);
}
