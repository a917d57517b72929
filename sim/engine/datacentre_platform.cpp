#include "sim/engine/datacentre_platform.hpp"

#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>

#include <limits>

namespace sg4 = simgrid::s4u;
using Direction = sg4::LinkInRoute::Direction;

namespace migsim {
namespace {

constexpr double host_speed = 1e10;  // flop/s per core; migsim's CPU work is given in seconds, so irrelevant

std::vector<sg4::Link*> route_links(sg4::Host* from, sg4::Host* to, double* latency = nullptr)
{
  std::vector<sg4::Link*> links;
  double l = 0;
  from->route_to(to, links, &l);
  if (latency)
    *latency = l;
  return links;
}

double narrowest_bandwidth(const std::vector<sg4::Link*>& links)
{
  double bw = std::numeric_limits<double>::infinity();
  for (const auto* l : links)
    bw = std::min(bw, l->get_bandwidth());
  return links.empty() ? 0 : bw;
}

struct Rack {
  sg4::NetZone* zone;
  simgrid::kernel::routing::NetPoint* tor;       // its top-of-rack switch
  simgrid::kernel::routing::NetPoint* san_port;  // its way to the storage fabric (storage_network "separate")
  sg4::Link* uplink;
};

}  // namespace

DatacentrePlatform::DatacentrePlatform(const DatacentreSpec& spec) : spec_(spec)
{
  auto* top   = sg4::create_full_zone("datacentre");
  auto* spine = top->create_link("spine", spec.spine_Bps)->set_latency(spec.spine_latency_s)->seal();
  std::vector<Rack> racks;
  size_t next_host = 0;
  for (size_t r = 0; r < spec.rack_count(); ++r) {
    const RackGroup& group = spec.groups[static_cast<size_t>(spec.rack_group[r])];
    const std::string name = "rack" + std::to_string(r);
    Rack rack;
    rack.zone = sg4::create_full_zone(name);
    rack.zone->set_parent(top);
    rack.tor      = rack.zone->create_router(name + "-tor");
    rack.san_port = spec.storage_shares_network ? nullptr : rack.zone->create_router(name + "-san");
    std::vector<sg4::Host*> in_rack;
    std::vector<sg4::Link*> nics;
    for (int h = 0; h < group.hosts; ++h, ++next_host) {
      const DatacentreHost& info = spec.hosts[next_host];
      auto* host = rack.zone->create_host(info.name, host_speed)->set_core_count(static_cast<int>(group.host.cores))->seal();
      auto* nic  = rack.zone->create_split_duplex_link(info.name + "-nic", group.host.nic_Bps)
                      ->set_latency(group.host.nic_latency_s)
                      ->seal();
      rack.zone->add_route(host->get_netpoint(), rack.tor, nullptr, nullptr, {{nic, Direction::UP}}, false);
      rack.zone->add_route(rack.tor, host->get_netpoint(), nullptr, nullptr, {{nic, Direction::DOWN}}, false);
      if (rack.san_port) {
        auto* san = rack.zone->create_split_duplex_link(info.name + "-san", group.host.san_Bps)->seal();
        rack.zone->add_route(host->get_netpoint(), rack.san_port, nullptr, nullptr, {{san, Direction::UP}}, false);
        rack.zone->add_route(rack.san_port, host->get_netpoint(), nullptr, nullptr, {{san, Direction::DOWN}}, false);
      }
      in_rack.push_back(host);
      nics.push_back(nic);
      hosts_.push_back(host);
    }
    for (size_t a = 0; a < in_rack.size(); ++a)
      for (size_t b = 0; b < in_rack.size(); ++b)
        if (a != b)
          rack.zone->add_route(in_rack[a]->get_netpoint(), in_rack[b]->get_netpoint(), nullptr, nullptr,
                               {{nics[a], Direction::UP}, {nics[b], Direction::DOWN}}, false);
    rack.zone->seal();
    rack.uplink = top->create_split_duplex_link(name + "-uplink", group.uplink_Bps)->set_latency(group.uplink_latency_s)->seal();
    racks.push_back(rack);
  }
  for (const Rack& a : racks)
    for (const Rack& b : racks)
      if (&a != &b)
        top->add_route(a.zone->get_netpoint(), b.zone->get_netpoint(), a.tor, b.tor,
                       {{a.uplink, Direction::UP}, sg4::LinkInRoute(spine), {b.uplink, Direction::DOWN}}, false);
  // Each array in a zone of its own (SimGrid routes zone to zone), its own gateway.
  for (const StorageArraySpec& spec_array : spec.arrays) {
    auto* zone = sg4::create_full_zone(spec_array.name + "-zone");
    zone->set_parent(top);
    auto* array = zone->create_host(spec_array.name, host_speed)->seal();
    zone->seal();
    auto* gateway = array->get_netpoint();
    auto* link = top->create_link(spec_array.name + "-array", spec_array.bandwidth_Bps)->set_latency(spec_array.latency_s)->seal();
    for (const Rack& rack : racks) {
      if (spec.storage_shares_network) {
        top->add_route(zone->get_netpoint(), rack.zone->get_netpoint(), gateway, rack.tor,
                       {sg4::LinkInRoute(link), sg4::LinkInRoute(spine), {rack.uplink, Direction::DOWN}}, false);
        top->add_route(rack.zone->get_netpoint(), zone->get_netpoint(), rack.tor, gateway,
                       {{rack.uplink, Direction::UP}, sg4::LinkInRoute(spine), sg4::LinkInRoute(link)}, false);
      } else {  // the storage fabric is non-blocking: the hosts' SAN ports and the array's link are its limits
        top->add_route(zone->get_netpoint(), rack.zone->get_netpoint(), gateway, rack.san_port, {sg4::LinkInRoute(link)}, false);
        top->add_route(rack.zone->get_netpoint(), zone->get_netpoint(), rack.san_port, gateway, {sg4::LinkInRoute(link)}, false);
      }
    }
    arrays_.push_back(array);
  }
  top->seal();
}

sg4::Host* DatacentrePlatform::array_of_rack(int rack) const
{
  return arrays_[static_cast<size_t>(spec_.rack_array[static_cast<size_t>(rack)])];
}

MigrationHosts DatacentrePlatform::migration_hosts(size_t source, size_t destination) const
{
  MigrationHosts m;
  m.source      = hosts_[source];
  m.destination = hosts_[destination];
  m.storage     = array_of_rack(spec_.hosts[source].rack);
  m.lan_Bps     = narrowest_bandwidth(route_links(m.source, m.destination, &m.lan_latency_s));
  m.san_Bps     = narrowest_bandwidth(route_links(m.storage, m.destination));
  return m;
}

std::string DatacentrePlatform::narrowest_link(size_t source, size_t destination) const
{
  const sg4::Link* narrowest = nullptr;
  for (const auto* l : route_links(hosts_[source], hosts_[destination]))
    if (!narrowest || l->get_bandwidth() < narrowest->get_bandwidth())
      narrowest = l;
  return narrowest ? narrowest->get_name() : "";
}

}  // namespace migsim
