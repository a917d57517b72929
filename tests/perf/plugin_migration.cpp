// The yardstick of `make bench`: SimGrid's own live-migration plugin (sg_vm_migrate) migrating one idle VM
// between two hosts of a platform file, as sim/validation/simgrid_plugin_reference.cpp drives it, in a
// process of its own so that the benchmark times it as a whole, start-up included, like a `migsim run`.
// Usage: plugin_migration PLATFORM.xml SOURCE DESTINATION RAM_BYTES [--vms=N] [--cfg=...]
// With --vms=N, N such VMs leave at once, one actor each (tests/perf/burst_benchmark.sh).
// Prints the simulated migration time in seconds (with N VMs: until the last one has arrived).
#include <simgrid/plugins/live_migration.h>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/VirtualMachine.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;

int main(int argc, char** argv)
{
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s PLATFORM.xml SOURCE DESTINATION RAM_BYTES [--vms=N] [--cfg=...]\n", argv[0]);
    return 2;
  }
  const std::string platform = argv[1], from = argv[2], to = argv[3];
  const double ram           = std::strtod(argv[4], nullptr);
  std::vector<char*> args    = {argv[0], const_cast<char*>("--log=root.thres:critical")};
  int vms = 1;
  for (int i = 5; i < argc; ++i) {
    if (std::string(argv[i]).rfind("--vms=", 0) == 0)
      vms = std::atoi(argv[i] + 6);
    else
      args.push_back(argv[i]);
  }
  int n = static_cast<int>(args.size());
  args.push_back(nullptr);
  sg4::Engine engine(&n, args.data());
  sg_vm_live_migration_plugin_init();
  engine.load_platform(platform);
  sg4::Host* source      = engine.host_by_name(from);
  sg4::Host* destination = engine.host_by_name(to);
  double seconds         = -1;
  for (int i = 0; i < vms; ++i)
    sg4::Actor::create("migrate", source, [&, i] {
      auto* vm = source->create_vm("VM" + std::to_string(i), 1);
      vm->set_ramsize(static_cast<size_t>(ram));
      vm->start();
      const double start = sg4::Engine::get_clock();
      sg_vm_migrate(vm, destination);
      seconds = std::max(seconds, sg4::Engine::get_clock() - start);
      vm->destroy();
    });
  engine.run();
  std::printf("%.9f\n", seconds);
  return 0;
}
