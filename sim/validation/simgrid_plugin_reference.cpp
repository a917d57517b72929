#include "sim/validation/simgrid_plugin_reference.hpp"

#include "sim/engine/engine_arguments.hpp"

#include <simgrid/plugins/live_migration.h>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/VirtualMachine.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <sstream>
#include <stdexcept>
#include <string>

namespace sg4 = simgrid::s4u;

namespace migsim {
namespace {

/// Runs in the child: every VM migrates from its own actor, all starting at time 0.
std::string migrate_with_plugin(const PluginSetup& setup)
{
  EngineArguments arguments("critical");
  sg4::Engine engine(arguments.argc(), arguments.argv());
  sg_vm_live_migration_plugin_init();
  engine.load_platform(setup.platform_file);
  sg4::Host* source      = engine.host_by_name(setup.source);
  sg4::Host* destination = engine.host_by_name(setup.destination);
  std::vector<double> seconds(static_cast<size_t>(setup.vms), -1);
  for (int i = 0; i < setup.vms; ++i)
    sg4::Actor::create("migrate-" + std::to_string(i), source, [&, i] {
      auto* vm = source->create_vm("VM" + std::to_string(i), 1);
      vm->set_ramsize(static_cast<size_t>(setup.ram_bytes));
      vm->start();
      const double start = sg4::Engine::get_clock();
      sg_vm_migrate(vm, destination);
      seconds[static_cast<size_t>(i)] = sg4::Engine::get_clock() - start;
      vm->destroy();
    });
  engine.run();
  std::ostringstream out;
  out.precision(17);
  for (double s : seconds)
    out << s << "\n";
  return out.str();
}

}  // namespace

PluginRun start_plugin_migration(const PluginSetup& setup)
{
  int fds[2];
  if (::pipe(fds) != 0)
    throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0)
    throw std::runtime_error(std::string("cannot fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::close(fds[0]);
    std::string out;
    try {
      out = migrate_with_plugin(setup);
    } catch (const std::exception& e) {
      out = std::string("error ") + e.what();
    }
    for (size_t done = 0; done < out.size();) {
      const ssize_t n = ::write(fds[1], out.data() + done, out.size() - done);
      if (n <= 0)
        break;
      done += static_cast<size_t>(n);
    }
    ::_exit(0);  // skip the parent's atexit handlers and static destructors
  }
  ::close(fds[1]);
  return {pid, fds[0]};
}

std::vector<double> finish_plugin_migration(const PluginRun& run)
{
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = ::read(run.fd, buffer, sizeof buffer)) > 0;)
    text.append(buffer, static_cast<size_t>(n));
  ::close(run.fd);
  int status = 0;
  ::waitpid(run.pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("SimGrid's plugin run died");
  if (text.rfind("error ", 0) == 0)
    throw std::runtime_error("SimGrid's plugin run failed: " + text.substr(6));
  std::vector<double> seconds;
  std::istringstream in(text);
  for (double s; in >> s;)
    seconds.push_back(s);
  if (seconds.empty())
    throw std::runtime_error("SimGrid's plugin run ended without a result");
  return seconds;
}

}  // namespace migsim
