#include "sim/sweep/sweep_runner.hpp"

#include "models/policies/policy_registry.hpp"
#include "sim/sweep/plan_locks.hpp"
#include "sim/sweep/progress_bar.hpp"
#include "sim/output/result_writer.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/whole_number.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace migsim {

namespace {
MainFunction in_process_main = nullptr;
}  // namespace

void set_in_process_main(MainFunction body)
{
  in_process_main = body;
}

std::string current_executable()
{
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec)
    throw std::runtime_error("cannot find the migsim binary: /proc/self/exe: " + ec.message());
  return exe.string();
}

std::pair<uint64_t, uint64_t> parse_run_range(const std::string& text, uint64_t count)
{
  const size_t colon = text.find(':');
  auto number = [&](const std::string& part, uint64_t fallback) -> uint64_t {
    if (part.empty())
      return fallback;
    const auto n = parse_whole_number(part);
    if (!n)
      throw InputError("--range " + text + ": expected A:B with run numbers, e.g. 0:100");
    return *n;
  };
  if (colon == std::string::npos)
    throw InputError("--range " + text + ": expected A:B (runs A to B-1), A: or :B");
  const uint64_t first = number(text.substr(0, colon), 0);
  const uint64_t last  = std::min(number(text.substr(colon + 1), count), count);
  if (first > last && first < count)
    throw InputError("--range " + text + ": A must not be greater than B");
  return {std::min(first, count), std::max(std::min(first, count), last)};
}

namespace {

void on_child(int) {}  // only to make SIGCHLD wake sigtimedwait()

/// The last non-empty lines of a run's output, for error.json and the message.
std::vector<std::string> tail_lines(const std::string& output, size_t count)
{
  std::istringstream in(output);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty())
      lines.push_back(line);
  if (lines.size() > count)
    lines.erase(lines.begin(), lines.end() - static_cast<long>(count));
  return lines;
}

/// An anonymous in-memory file for what a run prints.
int create_output_file()
{
  const int fd = ::memfd_create("migsim-run-output", MFD_CLOEXEC);
  if (fd < 0)
    throw std::runtime_error(std::string("cannot create a file for a run's output: ") + std::strerror(errno));
  return fd;
}

/// Everything in such a file, which is then closed.
std::string take_output(int fd)
{
  std::string text;
  char buffer[1 << 16];
  for (off_t at = 0;;) {
    const ssize_t n = ::pread(fd, buffer, sizeof buffer, at);
    if (n <= 0)
      break;
    text.append(buffer, static_cast<size_t>(n));
    at += n;
  }
  ::close(fd);
  return text;
}

/// Leftovers of a run killed while writing (a temporary result folder or temporary files), and a
/// result/ that is not whole. Only with the run's lock held: another process's are never touched.
void remove_leftovers(const fs::path& folder)
{
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".partial.") != std::string::npos || name.find(".tmp.") != std::string::npos)
      fs::remove_all(entry.path(), ec);
  }
  if (!is_whole_result(folder / "result") && fs::symlink_status(folder / "result", ec).type() != fs::file_type::not_found)
    fs::remove_all(folder / "result", ec);
}

/// Set in a run's process: what its wall-clock limit makes it print before it exits.
const char* wall_timeout_line = nullptr;

void on_wall_timeout(int)
{
  [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, wall_timeout_line, std::strlen(wall_timeout_line));
  ::_exit(1);  // as `migsim run` does when a simulation outlives its --timeout (docs/errors.md)
}

/// Stops this process after `seconds` of wall-clock time, saying so (the message is made here: a signal
/// handler may only write it).
void arm_wall_timeout(double seconds)
{
  static std::string line;
  line = "migsim: error: " + wall_timeout_error("run", seconds, "the sweep's --timeout") + "\n";
  wall_timeout_line = line.c_str();
  struct sigaction action {};
  action.sa_handler = on_wall_timeout;
  ::sigaction(SIGALRM, &action, nullptr);
  // At most 1e9 s (31 years: no limit in practice), and at least 1 us (a zero timer would be none).
  const double budget_s = std::clamp(seconds, 1e-6, 1e9);
  itimerval timer{};
  timer.it_value.tv_sec  = static_cast<time_t>(budget_s);
  timer.it_value.tv_usec = static_cast<suseconds_t>((budget_s - std::floor(budget_s)) * 1e6);
  if (timer.it_value.tv_sec == 0 && timer.it_value.tv_usec == 0)
    timer.it_value.tv_usec = 1;
  ::setitimer(ITIMER_REAL, &timer, nullptr);
}

class RunLauncher {
public:
  RunLauncher(const std::string& dir, const SweepPlan& plan, double wall_timeout_s)
      : migsim_(current_executable()), dir_(dir), plan_(plan), wall_timeout_s_(wall_timeout_s)
  {
    if (!in_process_main)
      throw std::logic_error("run_sweep: main() has not registered itself (set_in_process_main)");
  }

  fs::path folder(uint64_t id) const { return dir_ / run_folder(plan_, id); }

  /// Starts run `id` in a fork of this process, which calls main's body as `migsim run` would be called
  /// and simulates in that same process; what it prints goes to `output_fd`, an anonymous in-memory
  /// file that finish() turns into output.txt when there is something to keep.
  pid_t start(uint64_t id, int output_fd, const sigset_t& child_mask, const struct sigaction& child_chld) const
  {
    const fs::path f = folder(id);
    remove_leftovers(f);
    // Run inside the run folder with relative names: messages and run.json then read the same
    // wherever the sweep folder is (local disk, cluster filesystem), and so does the merged output.
    const std::string folder_name = f.string();
    std::vector<std::string> args = {migsim_, "run", "scenario.json", "--out", "result", "--quiet", "--jobs", "1"};
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t parent = ::getpid();
    std::fflush(nullptr);  // what the sweep printed so far must not reach the run's output a second time
    const pid_t pid    = ::fork();
    if (pid < 0)
      throw std::runtime_error(std::string("cannot fork: ") + std::strerror(errno));
    if (pid == 0) {
      // A run must not outlive its sweep: a resumed sweep would start it a second time.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent)
        ::_exit(125);
      if (::chdir(folder_name.c_str()) != 0)
        ::_exit(126);
      ::dup2(output_fd, STDOUT_FILENO);
      ::dup2(output_fd, STDERR_FILENO);
      ::sigprocmask(SIG_SETMASK, &child_mask, nullptr);
      // As exec would: SIGCHLD back to what it was (a run may wait for children of its own).
      ::sigaction(SIGCHLD, &child_chld, nullptr);
      // This process is the run's isolation: the sweep records a crash, and the wall-clock limit is kept
      // here, so the simulation needs no process of its own.
      simulate_in_this_process();
      if (wall_timeout_s_ > 0)
        arm_wall_timeout(wall_timeout_s_);
      const int status = in_process_main(static_cast<int>(args.size()), argv.data());
      std::fflush(nullptr);
      ::_exit(status);  // not the sweep's atexit handlers and static destructors
    }
    return pid;
  }

  /// Records how the run ended, given what it printed; returns true when it failed.
  bool finish(uint64_t id, int status, const std::string& printed) const
  {
    const fs::path f      = folder(id);
    const fs::path output = f / "output.txt";
    std::error_code ec;
    if (printed.empty()) {
      fs::remove(output, ec);  // that of an earlier attempt
    } else {
      try {
        write_file_atomically(output.string(), printed);  // replaces a link there, never writes through it
      } catch (const std::exception& e) {
        std::fprintf(stderr, "migsim: run %llu: cannot keep its output: %s\n", static_cast<unsigned long long>(id), e.what());
      }
    }
    // The result folder, whole by construction, is what counts (whatever the exit status says).
    if (is_whole_result(f / "result")) {
      fs::remove(f / "error.json", ec);
      return false;
    }
    const auto lines = tail_lines(printed, 20);
    nlohmann::ordered_json error = {{"run_id", id}};
    std::string reason;
    if (WIFSIGNALED(status)) {
      error["status"] = "crashed";
      error["signal"] = WTERMSIG(status);
      reason          = "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
    } else {
      error["status"]      = "failed";
      error["exit_status"] = WEXITSTATUS(status);
      reason = WEXITSTATUS(status) == 0 ? "ended without writing a result"
                                        : "exit status " + std::to_string(WEXITSTATUS(status));
    }
    error["error"]  = lines.empty() ? reason : reason + ": " + lines.back();
    error["output"] = lines;
    try {
      write_file_atomically((f / "error.json").string(), error.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    } catch (const std::exception& e) {  // e.g. the run folder was deleted: say so, go on
      std::fprintf(stderr, "migsim: run %llu: %s; cannot record it: %s\n", static_cast<unsigned long long>(id),
                   error["error"].get<std::string>().c_str(), e.what());
    }
    return true;
  }

private:
  std::string migsim_;
  fs::path dir_;
  const SweepPlan& plan_;
  double wall_timeout_s_;
};

}  // namespace

SweepRunReport run_sweep(const std::string& dir, const SweepPlan& plan, const SweepRunOptions& options)
{
  const uint64_t first = std::min<uint64_t>(options.first, plan.runs.size());
  const uint64_t last  = std::min<uint64_t>(options.last, plan.runs.size());
  RunLauncher launcher(dir, plan, options.wall_timeout_s);
  PolicyRegistry::instance();  // built once here, not in each run's process forked from this one

  SweepRunReport report;
  std::vector<uint64_t> pending;
  for (uint64_t id = first; id < last; ++id) {
    ++report.in_range;
    if (is_whole_result(launcher.folder(id) / "result"))
      ++report.skipped;
    else
      pending.push_back(id);
  }
  ProgressBar bar(report.in_range, report.skipped, options.progress);
  if (pending.empty()) {  // nothing to lock either (a finished plan may be read-only)
    bar.finish();
    return report;
  }
  PlanLocks locks(dir);
  std::vector<uint64_t> busy;  // runs another process has: tried again once ours are done

  // SIGCHLD stays blocked so that a child ending between waitpid() and sigtimedwait() is not missed.
  sigset_t chld, old_mask;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  struct sigaction action {}, old_action {};
  action.sa_handler = on_child;
  action.sa_flags   = SA_NOCLDSTOP;
  ::sigaction(SIGCHLD, &action, &old_action);
  ::sigprocmask(SIG_BLOCK, &chld, &old_mask);

  struct Running {
    uint64_t id;
    int output_fd;
  };
  std::map<pid_t, Running> running;
  size_t next = 0;
  const size_t jobs = static_cast<size_t>(std::max(1, options.jobs));
  try {
    while (next < pending.size() || !running.empty() || !busy.empty()) {
      while (running.size() < jobs && next < pending.size()) {
        const uint64_t id = pending[next++];
        if (!locks.try_lock_run(id)) {
          busy.push_back(id);
          continue;
        }
        if (is_whole_result(launcher.folder(id) / "result")) {  // another process ran it meanwhile
          locks.unlock_run(id);
          ++report.done_elsewhere;
          bar.advance(false);
          continue;
        }
        const int output_fd = create_output_file();
        running[launcher.start(id, output_fd, old_mask, old_action)] = {id, output_fd};
      }
      if (next == pending.size() && running.empty() && !busy.empty()) {
        pending.swap(busy);  // after the wait below: the other process may have finished them
        busy.clear();
        next = 0;
      }
      int status      = 0;
      const pid_t pid = running.empty() ? 0 : ::waitpid(-1, &status, WNOHANG);  // none: only waiting for busy runs
      if (pid > 0) {
        auto it = running.find(pid);
        if (it == running.end())
          continue;  // not one of ours
        const bool failed = launcher.finish(it->second.id, status, take_output(it->second.output_fd));
        locks.unlock_run(it->second.id);
        running.erase(it);
        ++report.ran;
        report.failed += failed ? 1 : 0;
        bar.advance(failed);
        continue;
      }
      if (pid < 0 && errno != EINTR)
        throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
      const timespec wait{0, 200'000'000};
      ::sigtimedwait(&chld, nullptr, &wait);
      bar.tick();
    }
  } catch (...) {
    ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
    ::sigaction(SIGCHLD, &old_action, nullptr);
    throw;
  }
  ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
  ::sigaction(SIGCHLD, &old_action, nullptr);
  bar.finish();
  return report;
}

}  // namespace migsim
