#include "sim/engine/platform_builder.hpp"

#include "sim/scenario/scenario_error.hpp"

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace sg4 = simgrid::s4u;

namespace migsim {
namespace {

constexpr double host_speed = 1e10;  // flop/s; migsim's actors compute nothing, the value is irrelevant

double route_bandwidth(sg4::Host* from, sg4::Host* to, double* latency_out = nullptr)
{
  std::vector<sg4::Link*> links;
  double latency = 0;
  from->route_to(to, links, &latency);
  if (latency_out)
    *latency_out = latency;
  double bw = std::numeric_limits<double>::infinity();
  for (const auto* l : links)
    bw = std::min(bw, l->get_bandwidth());
  return links.empty() ? 0 : bw;
}

void build_from_fields(const PlatformSpec& p)
{
  auto* zone = sg4::create_full_zone("migsim");
  // SimGrid's energy plugin reads a host's power profile when the host is sealed: "idle:one core:all".
  const std::string watts = std::to_string(p.energy.idle_W) + ":" + std::to_string(p.energy.busy_W) + ":" +
                            std::to_string(p.energy.busy_W);
  auto host = [&](const char* name) {
    auto* h = zone->create_host(name, host_speed);
    if (p.energy.enabled)
      h->set_property("wattage_per_state", watts)->set_property("wattage_off", "0");
    return h->seal();
  };
  auto* source  = host("source");
  auto* dest    = host("destination");
  auto* storage = host("storage");
  auto* lan     = zone->create_link("lan", p.lan_Bps)->set_latency(p.lan_latency_s)->seal();
  auto* san_src = zone->create_link("san-source", p.san_Bps)->set_latency(p.san_latency_s)->seal();
  auto* san_dst = zone->create_link("san-destination", p.san_Bps)->set_latency(p.san_latency_s)->seal();
  // The array's read bandwidth as a link, shared by every reader: SimGrid's Io activities slow an
  // actor that alternates them with comms quadratically in 3.32 (docs/architecture notes).
  auto* array = zone->create_link("storage-array", p.storage_read_Bps)->seal();
  zone->add_route(source->get_netpoint(), dest->get_netpoint(), nullptr, nullptr, {sg4::LinkInRoute(lan)}, true);
  zone->add_route(storage->get_netpoint(), source->get_netpoint(), nullptr, nullptr,
                  {sg4::LinkInRoute(array), sg4::LinkInRoute(san_src)}, true);
  zone->add_route(storage->get_netpoint(), dest->get_netpoint(), nullptr, nullptr,
                  {sg4::LinkInRoute(array), sg4::LinkInRoute(san_dst)}, true);
  zone->seal();
}

sg4::Host* named_host(const Scenario& s, const std::string& name, const char* path)
{
  auto* host = sg4::Engine::get_instance()->host_by_name_or_null(name);
  if (!host)
    throw ScenarioError(s.origin, path, "no host \"" + name + "\" in platform file \"" + s.platform.file + "\"");
  return host;
}

/// SimGrid throws on a malformed or inconsistent platform file (ParseError, invalid_argument): that is bad
/// input, reported like any other scenario problem.
/// What SimGrid said before it aborted: its last CRITICAL or ERROR message, else its last line.
std::string simgrid_complaint(const std::string& output)
{
  std::string last, logged;
  size_t start = 0;
  while (start < output.size()) {
    const size_t end       = std::min(output.find('\n', start), output.size());
    const std::string line = output.substr(start, end - start);
    if (line.find_first_not_of(" \t\r") != std::string::npos)
      last = line;
    for (const std::string tag : {"/CRITICAL] ", "/ERROR] "})
      if (line.find(tag) != std::string::npos)
        logged = line.substr(line.find(tag) + tag.size());
    start = end + 1;
  }
  return logged.empty() ? last : logged;
}

ScenarioError no_route(const Scenario& s, const std::pair<std::string, std::string>& pair)
{
  return ScenarioError(s.origin, "/platform/file", "platform file \"" + s.platform.file + "\" has no route from host \"" +
                                                       pair.first + "\" to host \"" + pair.second + "\"");
}

/// The route pairs a migration uses: source to destination, and storage to both when there is storage.
std::vector<std::pair<std::string, std::string>> route_pairs(const PlatformSpec& p)
{
  std::vector<std::pair<std::string, std::string>> pairs = {{p.source_host, p.destination_host}};
  if (!p.storage_host.empty()) {
    pairs.emplace_back(p.storage_host, p.destination_host);
    pairs.emplace_back(p.storage_host, p.source_host);
  }
  return pairs;
}

/// What diagnose_platform_file's throwaway process prints before it asks for route number `index`:
/// found in its output, it names the route that crashed SimGrid.
std::string route_marker(size_t index)
{
  return "\nmigsim-probe: route " + std::to_string(index) + "\n";
}

/// While it lives, a crash is only a signal, with no report from SimGrid's or ASan's handlers: SimGrid
/// 3.32 aborts (xbt_die) on some platform files instead of throwing, "Not a valid model!" for an unknown
/// routing, and dereferences a null pointer (SIGSEGV) when asked for a route that the file does not
/// define. The parent of a process that died so finds out why (diagnose_platform_file).
class PlainCrashes {
public:
  PlainCrashes()
  {
    struct sigaction plain {};
    plain.sa_handler = SIG_DFL;
    for (size_t i = 0; i < std::size(signals_); ++i)
      ::sigaction(signals_[i], &plain, &saved_[i]);
  }
  ~PlainCrashes()
  {
    for (size_t i = 0; i < std::size(signals_); ++i)
      ::sigaction(signals_[i], &saved_[i], nullptr);
  }
  PlainCrashes(const PlainCrashes&) = delete;
  PlainCrashes& operator=(const PlainCrashes&) = delete;

private:
  static constexpr int signals_[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS};
  struct sigaction saved_[std::size(signals_)] {};
};

/// Asks SimGrid for every route the migration uses (those between hosts the file has: a missing host is
/// named later), each announced by `announce(index)` first; one SimGrid refuses is bad input.
template <typename Announce>
void ask_routes(const Scenario& s, Announce announce)
{
  auto* engine     = sg4::Engine::get_instance();
  const auto pairs = route_pairs(s.platform);
  for (size_t i = 0; i < pairs.size(); ++i) {
    auto* from = engine->host_by_name_or_null(pairs[i].first);
    auto* to   = engine->host_by_name_or_null(pairs[i].second);
    if (!from || !to)
      return;
    announce(i);
    std::vector<sg4::Link*> links;
    double latency = 0;
    try {
      from->route_to(to, links, &latency);
    } catch (const std::exception&) {
      throw no_route(s, pairs[i]);
    }
  }
}

void load_platform_file(const Scenario& s)
{
  PlainCrashes plain;
  try {
    sg4::Engine::get_instance()->load_platform(s.platform.file);
  } catch (const std::exception& e) {
    throw ScenarioError(s.origin, "/platform/file", "SimGrid cannot load platform file \"" + s.platform.file +
                                                        "\": " + e.what());
  }
  ask_routes(s, [](size_t) {});
}

}  // namespace

void configure_network_model(const PlatformSpec& platform)
{
  if (platform.energy.enabled)
    sg_host_energy_plugin_init();  // before any host exists
  if (platform.network_model == "CM02") {
    sg4::Engine::set_config("network/model:CM02");
    sg4::Engine::set_config("network/crosstraffic:0");
  } else {
    sg4::Engine::set_config("network/model:LV08");  // SimGrid's default, with its cross-traffic
  }
}

MigrationHosts build_platform(const Scenario& s)
{
  const PlatformSpec& p = s.platform;
  if (p.file.empty())
    build_from_fields(p);
  else
    load_platform_file(s);
  MigrationHosts hosts;
  hosts.source      = named_host(s, p.source_host, "/platform/source_host");
  hosts.destination = named_host(s, p.destination_host, "/platform/destination_host");
  if (!p.storage_host.empty())
    hosts.storage = named_host(s, p.storage_host, "/platform/storage_host");
  hosts.lan_Bps = route_bandwidth(hosts.source, hosts.destination, &hosts.lan_latency_s);
  if (hosts.storage)
    hosts.san_Bps = route_bandwidth(hosts.storage, hosts.destination);
  return hosts;
}

void diagnose_platform_file(const Scenario& s)
{
  if (s.platform.file.empty())
    return;
  int fds[2];
  if (::pipe(fds) != 0)
    return;  // cannot tell
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    PlainCrashes plain;  // an abort or a crash is the answer here
    try {
      sg4::Engine::get_instance()->load_platform(s.platform.file);
      ask_routes(s, [](size_t i) {
        const std::string marker = route_marker(i);
        [[maybe_unused]] auto written = ::write(STDOUT_FILENO, marker.data(), marker.size());
      });
    } catch (...) {
      ::_exit(3);  // an exception: what the process that died would have reported
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string output;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR);)
    if (n > 0 && output.size() < (1 << 20))
      output.append(buffer, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid)
    return;
  if (!WIFSIGNALED(status) && !(WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 3))
    return;
  const auto pairs = route_pairs(s.platform);
  for (size_t i = pairs.size(); i-- > 0;)
    if (output.find(route_marker(i)) != std::string::npos)
      throw no_route(s, pairs[i]);
  throw ScenarioError(s.origin, "/platform/file", "SimGrid cannot load platform file \"" + s.platform.file +
                                                      "\": " + simgrid_complaint(output));
}

}  // namespace migsim
