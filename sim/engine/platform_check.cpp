#include "sim/engine/platform_check.hpp"

#include "sim/engine/engine_arguments.hpp"
#include "sim/engine/platform_builder.hpp"
#include "sim/scenario/scenario_error.hpp"

#include <simgrid/s4u/Engine.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

namespace migsim {

void check_platform(const Scenario& s)
{
  if (s.platform.file.empty())
    return;
  int fds[2];
  if (::pipe(fds) != 0)
    return;  // cannot check here: the run will tell
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    // What SimGrid prints when it dies on the file is not for the user: diagnose_platform_file says it.
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    std::string problem;
    try {
      EngineArguments arguments("critical");
      simgrid::s4u::Engine engine(arguments.argc(), arguments.argv());
      build_platform(s);
    } catch (const std::exception& e) {
      problem = e.what();
    }
    for (size_t done = 0; done < problem.size();) {
      const ssize_t n = ::write(fds[1], problem.data() + done, problem.size() - done);
      if (n <= 0)
        break;
      done += static_cast<size_t>(n);
    }
    ::_exit(0);  // skip the parent's atexit handlers and SimGrid's static destructors
  }
  ::close(fds[1]);
  std::string problem;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR);)
    if (n > 0)
      problem.append(buffer, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  while (pid > 0 && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!problem.empty())
    throw InputError(problem);
  if (pid > 0 && WIFSIGNALED(status)) {
    diagnose_platform_file(s);
    throw InputError(s.origin + ": /platform/file: SimGrid stopped (signal " + std::to_string(WTERMSIG(status)) +
                     ") while building platform file \"" + s.platform.file + "\"");
  }
}

}  // namespace migsim
