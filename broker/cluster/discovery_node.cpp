// Parsing of `NAME@HOST:PORT`; see discovery_node.hpp.
#include "broker/cluster/discovery_node.hpp"

#include "broker/cluster/error.hpp"
#include "broker/cluster/metadata_types.hpp"

namespace ternmq::cluster {

core::result<discovery_node> parse_discovery_node(std::string_view text) {
  const auto refuse = [&] {
    return make_error(errc::invalid_value, "expected NAME@HOST:PORT (node name and cluster listener port), got '" +
                                               std::string(text) + "'");
  };
  const std::size_t colon = text.rfind(':');
  const std::size_t at = text.find('@');
  if (colon == std::string_view::npos || at == std::string_view::npos || at == 0 || colon < at + 2) return refuse();
  const std::string_view nodename = text.substr(0, colon);
  const std::string_view host = text.substr(at + 1, colon - at - 1);
  const std::string_view port = text.substr(colon + 1);
  // A bare IPv6 host without brackets would leave colons in the host.
  if (host.find(':') != std::string_view::npos && !(host.front() == '[' && host.back() == ']')) return refuse();
  discovery_node out{std::string(nodename), std::string(host) + ":" + std::string(port)};
  if (!is_valid_nodename(out.nodename) || !is_valid_cluster_address(out.address)) return refuse();
  return out;
}

}  // namespace ternmq::cluster
