#include "sim/engine/isolated_run.hpp"

#include "sim/engine/migration_simulation.hpp"
#include "sim/engine/platform_builder.hpp"
#include "sim/scenario/scenario_error.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

namespace migsim {
namespace {

using Clock = std::chrono::steady_clock;

struct Child {
  size_t index;                ///< of the scenario, and of its outcome
  pid_t pid;
  int reply_fd;                ///< read end of the pipe carrying the child's JSON reply
  int output_fd;               ///< memfd with what the child printed (stdout and stderr), or -1
  std::string reply;
  Clock::time_point deadline;  ///< meaningful only with a wall timeout
};

void write_all(int fd, const std::string& text)
{
  for (size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    done += static_cast<size_t>(n);
  }
}

bool in_this_process = false;  ///< simulate_in_this_process() was called

/// The scenario simulated in this process, every exception caught.
RunOutcome simulate_here(const Scenario& scenario)
{
  RunOutcome outcome;
  try {
    outcome.result = simulate_migration(scenario);
  } catch (const ScenarioError& e) {
    outcome.input_error = e.what();
  } catch (const std::exception& e) {
    outcome.internal_error = e.what();
  } catch (...) {
    outcome.internal_error = "the simulation threw something that is not a std::exception";
  }
  return outcome;
}

/// An outcome as a child sends it to its parent, and back.
nlohmann::json reply_of(const RunOutcome& outcome)
{
  if (outcome.result)
    return {{"result", *outcome.result}};
  if (!outcome.input_error.empty())
    return {{"input_error", outcome.input_error}};
  return {{"internal_error", outcome.internal_error}};
}

RunOutcome outcome_of(const nlohmann::json& reply)
{
  RunOutcome outcome;
  if (reply.contains("result"))
    outcome.result = reply["result"].get<RunResult>();
  else if (reply.contains("input_error"))
    outcome.input_error = reply["input_error"].get<std::string>();
  else
    outcome.internal_error = reply.value("internal_error", "unknown error");
  return outcome;
}

[[noreturn]] void run_child(const Scenario& scenario, int reply_fd, pid_t parent)
{
  // Die with the parent: a `migsim run` killed by SIGKILL leaves no simulation running on its own.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent)
    ::_exit(1);
  write_all(reply_fd, reply_of(simulate_here(scenario)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  ::close(reply_fd);
  ::_exit(0);  // skip atexit handlers and static destructors inherited from the parent
}

Child start_child(const Scenario& scenario, size_t index, const std::vector<Child>& running, double wall_timeout_s)
{
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
  // The child's stdout and stderr go to an anonymous in-memory file: SimGrid's own messages (a parse
  // error, "Segmentation fault.", a backtrace) must not reach the user around migsim's one-line message.
  // MIGSIM_CHILD_OUTPUT=inherit leaves them on the terminal, for debugging.
  const char* keep = std::getenv("MIGSIM_CHILD_OUTPUT");
  const int output = keep && std::string(keep) == "inherit" ? -1 : ::memfd_create("migsim-child-output", MFD_CLOEXEC);
  const pid_t parent = ::getpid();
  const pid_t pid    = ::fork();
  if (pid < 0)
    throw std::runtime_error(std::string("cannot fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::close(fds[0]);
    for (const Child& c : running) {
      ::close(c.reply_fd);
      if (c.output_fd >= 0)
        ::close(c.output_fd);
    }
    if (output >= 0) {
      ::dup2(output, STDOUT_FILENO);
      ::dup2(output, STDERR_FILENO);
    }
    run_child(scenario, fds[1], parent);
  }
  ::close(fds[1]);
  const auto budget = std::chrono::duration<double>(std::min(wall_timeout_s, 1e9));
  return {index, pid, fds[0], output, "", Clock::now() + std::chrono::duration_cast<Clock::duration>(budget)};
}

/// Everything the child printed, read back from its memfd (and the memfd closed).
std::string take_output(Child& child)
{
  std::string text;
  if (child.output_fd < 0)
    return text;
  char buffer[1 << 16];
  for (off_t at = 0;;) {
    ssize_t n = ::pread(child.output_fd, buffer, sizeof buffer, at);
    if (n <= 0)
      break;
    text.append(buffer, static_cast<size_t>(n));
    at += n;
  }
  ::close(child.output_fd);
  child.output_fd = -1;
  return text;
}

/// "; its last output: "..."" from the last non-empty line the child printed, or "".
std::string last_words(const std::string& output)
{
  size_t end = output.find_last_not_of(" \t\r\n");
  if (end == std::string::npos)
    return "";
  size_t start     = output.find_last_of('\n', end);
  std::string line = output.substr(start == std::string::npos ? 0 : start + 1, end + 1 - (start == std::string::npos ? 0 : start + 1));
  if (line.size() > 200)
    line = line.substr(0, 200) + "...";
  return "; its last output: \"" + line + "\"";
}

/// The problem with a scenario whose simulation process died: its platform file, if that is to blame.
std::string platform_problem(const Scenario& scenario)
{
  try {
    diagnose_platform_file(scenario);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

RunOutcome finish_child(Child& child, const Scenario& scenario)
{
  ::close(child.reply_fd);
  int status = 0;
  while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  const std::string output = take_output(child);
  RunOutcome outcome;
  if (WIFSIGNALED(status) || child.reply.empty()) {  // it died: SimGrid may have choked on the platform file
    outcome.input_error = platform_problem(scenario);
    if (!outcome.input_error.empty())
      return outcome;
  }
  if (WIFSIGNALED(status)) {
    outcome.internal_error = "simulation process died of signal " + std::to_string(WTERMSIG(status)) + " (" +
                             strsignal(WTERMSIG(status)) + ")" + last_words(output);
    return outcome;
  }
  const auto reply = nlohmann::json::parse(child.reply, nullptr, false);
  if (reply.is_discarded() || !reply.is_object()) {
    outcome.internal_error = "simulation process ended without a result (exit status " +
                             std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")" + last_words(output);
    return outcome;
  }
  if (reply.contains("result") && !output.empty())  // SimGrid warnings of a run that worked: pass them on
    write_all(STDERR_FILENO, output);
  return outcome_of(reply);
}

RunOutcome kill_child(Child& child, double wall_timeout_s)
{
  ::kill(child.pid, SIGKILL);
  ::close(child.reply_fd);
  while (::waitpid(child.pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  take_output(child);
  RunOutcome outcome;
  outcome.wall_timeout   = true;
  outcome.internal_error = wall_timeout_error("simulation", wall_timeout_s, "--timeout");
  return outcome;
}

/// Milliseconds until the nearest deadline, for poll(); -1 = wait for output only.
int poll_timeout_ms(const std::vector<Child>& running, double wall_timeout_s)
{
  if (wall_timeout_s <= 0 || running.empty())
    return -1;
  Clock::time_point nearest = running.front().deadline;
  for (const Child& c : running)
    nearest = std::min(nearest, c.deadline);
  const double ms = std::chrono::duration<double, std::milli>(nearest - Clock::now()).count();
  return static_cast<int>(std::clamp(std::ceil(ms), 0.0, static_cast<double>(INT_MAX)));
}

}  // namespace

std::string wall_timeout_error(const std::string& what, double seconds, const std::string& option)
{
  char budget[32];
  std::snprintf(budget, sizeof budget, "%g", seconds);
  return "wall_timeout: the " + what + " was still running after " + budget + " s of wall-clock time and was " +
         "stopped (raise " + option + ", or bound the run with /migration/max_time, /output/sample_interval or " +
         "/migration/chunk)";
}

void simulate_in_this_process()
{
  in_this_process = true;
}

std::vector<RunOutcome> run_isolated(const std::vector<Scenario>& scenarios, int jobs, double wall_timeout_s)
{
  if (in_this_process && scenarios.size() == 1) {
    // A crash here would take this process without a word: the platform file is tried first.
    RunOutcome outcome;
    outcome.input_error = platform_problem(scenarios.front());
    return {outcome.input_error.empty() ? simulate_here(scenarios.front()) : outcome};
  }
  std::vector<RunOutcome> outcomes(scenarios.size());
  std::vector<Child> running;
  const size_t slots = static_cast<size_t>(std::max(1, jobs));
  size_t next        = 0;
  while (next < scenarios.size() || !running.empty()) {
    while (next < scenarios.size() && running.size() < slots) {
      running.push_back(start_child(scenarios[next], next, running, wall_timeout_s));
      ++next;
    }
    std::vector<pollfd> fds;
    for (const Child& c : running)
      fds.push_back({c.reply_fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), poll_timeout_ms(running, wall_timeout_s)) < 0 && errno != EINTR)
      throw std::runtime_error(std::string("poll failed: ") + std::strerror(errno));
    // Back to front, so that erasing a finished child keeps the indices of the others.
    for (size_t i = running.size(); i-- > 0;) {
      Child& c = running[i];
      if (fds[i].revents != 0) {
        char buffer[1 << 16];
        const ssize_t n = ::read(c.reply_fd, buffer, sizeof buffer);
        if (n > 0) {
          c.reply.append(buffer, static_cast<size_t>(n));
        } else if (n == 0 || errno != EINTR) {
          outcomes[c.index] = finish_child(c, scenarios[c.index]);
          running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
          continue;
        }
      }
      if (wall_timeout_s > 0 && Clock::now() >= c.deadline) {
        outcomes[c.index] = kill_child(c, wall_timeout_s);
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }
  return outcomes;
}

}  // namespace migsim
