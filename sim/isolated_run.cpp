#include "isolated_run.hpp"

#include "migration_simulation.hpp"
#include "scenario_error.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <string>

namespace migsim {
namespace {

struct Child {
  pid_t pid;
  int fd;
};

void write_all(int fd, const std::string& text)
{
  for (size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0)
      return;
    done += static_cast<size_t>(n);
  }
}

Child start_child(const Scenario& scenario)
{
  int fds[2];
  if (::pipe(fds) != 0)
    throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
  pid_t pid = ::fork();
  if (pid < 0)
    throw std::runtime_error(std::string("cannot fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::close(fds[0]);
    nlohmann::json out;
    try {
      out = {{"result", simulate_migration(scenario)}};
    } catch (const ScenarioError& e) {
      out = {{"input_error", e.what()}};
    } catch (const std::exception& e) {
      out = {{"internal_error", e.what()}};
    }
    write_all(fds[1], out.dump());
    ::close(fds[1]);
    ::_exit(0);  // skip atexit handlers and static destructors inherited from the parent
  }
  ::close(fds[1]);
  return {pid, fds[0]};
}

RunOutcome finish_child(const Child& child)
{
  std::string text;
  char buffer[1 << 16];
  for (ssize_t n; (n = ::read(child.fd, buffer, sizeof buffer)) > 0;)
    text.append(buffer, static_cast<size_t>(n));
  ::close(child.fd);
  int status = 0;
  ::waitpid(child.pid, &status, 0);
  RunOutcome outcome;
  if (WIFSIGNALED(status)) {
    outcome.internal_error = "simulation process died of signal " + std::to_string(WTERMSIG(status)) + " (" +
                             strsignal(WTERMSIG(status)) + ")";
    return outcome;
  }
  auto reply = nlohmann::json::parse(text, nullptr, false);
  if (reply.is_discarded() || !reply.is_object()) {
    outcome.internal_error = "simulation process ended without a result";
  } else if (reply.contains("result")) {
    outcome.result = reply["result"].get<RunResult>();
  } else if (reply.contains("input_error")) {
    outcome.input_error = reply["input_error"].get<std::string>();
  } else {
    outcome.internal_error = reply.value("internal_error", "unknown error");
  }
  return outcome;
}

}  // namespace

std::vector<RunOutcome> run_isolated(const std::vector<Scenario>& scenarios, int jobs)
{
  std::vector<RunOutcome> outcomes;
  const size_t batch = static_cast<size_t>(std::max(1, jobs));
  for (size_t first = 0; first < scenarios.size(); first += batch) {
    std::vector<Child> children;
    for (size_t i = first; i < std::min(scenarios.size(), first + batch); ++i)
      children.push_back(start_child(scenarios[i]));
    for (const Child& c : children)
      outcomes.push_back(finish_child(c));
  }
  return outcomes;
}

}  // namespace migsim
