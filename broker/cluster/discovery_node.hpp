// The `discovery-node=` argument of `cluster join`: `NAME@HOST:PORT`, the discovery node's name
// (`NAME@HOST`, its `nodename`) followed by the port of its cluster listener
// (`listener.vmq.clustering`), which is dialled at HOST:PORT. `n1@10.0.0.7:44053` names node
// `n1@10.0.0.7` at `10.0.0.7:44053`; an IPv6 host is written in brackets (`n1@[fd00::7]:44053`,
// node `n1@[fd00::7]`). VerneMQ's form is the bare node name, since Erlang distribution finds the
// port by itself; we need the port.
#pragma once

#include <string>
#include <string_view>

#include "core/base/result.hpp"

namespace ternmq::cluster {

struct discovery_node {
  std::string nodename;
  std::string address;  // host:port, a valid cluster address
  bool operator==(const discovery_node&) const = default;
};

core::result<discovery_node> parse_discovery_node(std::string_view text);

}  // namespace ternmq::cluster
