// A named port of a task (svc.yml `ports: NAME: {...}`): the host port to reserve, the environment
// variable that receives it, and how it is published (endpoint, L4LB VIP). A value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ternmq::scheduler::model {

// Bounds for a dynamic port, both inclusive (`ranges: [{begin: 1025, end: 2000}]`).
struct port_range {
  std::uint16_t begin = 0;
  std::uint16_t end = 0;
  friend bool operator==(const port_range&, const port_range&) = default;
};

// A DC/OS named VIP, `<prefix>.<service>.l4lb.thisdcos.directory:<port>`.
struct vip_spec {
  std::string prefix;  // defaults to the port's name
  std::uint16_t port = 0;
  std::string protocol = "tcp";
  friend bool operator==(const vip_spec&, const vip_spec&) = default;
};

struct port_spec {
  std::string name;
  std::uint16_t port = 0;   // 0: any free port from the offer (kept across restarts once reserved)
  std::string env_key;      // empty: the port is not exported to the task environment
  bool advertise = false;   // listed in /v1/endpoints (Port.visibility EXTERNAL)
  std::optional<vip_spec> vip;
  std::vector<port_range> ranges;  // empty: any port
  friend bool operator==(const port_spec&, const port_spec&) = default;
};

}  // namespace ternmq::scheduler::model
