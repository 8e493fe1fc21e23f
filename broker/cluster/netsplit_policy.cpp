// Netsplit detection and the per-request decision; see netsplit_policy.hpp.
#include "broker/cluster/netsplit_policy.hpp"

#include <algorithm>

namespace ternmq::cluster {

const char* to_string(mqtt_request r) {
  switch (r) {
    case mqtt_request::connect: return "connect";
    case mqtt_request::publish: return "publish";
    case mqtt_request::subscribe: return "subscribe";
    case mqtt_request::unsubscribe: return "unsubscribe";
  }
  return "unknown";
}

reachability assess(const std::string& self, const std::vector<member>& members, const std::set<std::string>& reachable) {
  reachability out;
  for (const auto& m : members) {
    // A node that left is no longer waited for; that is what `leave` is for.
    if (m.nodename == self || m.state == member_state::left) continue;
    if (!reachable.contains(m.nodename)) out.unreachable.push_back(m.nodename);
  }
  std::sort(out.unreachable.begin(), out.unreachable.end());
  return out;
}

bool netsplit_policy::allows(mqtt_request request, const reachability& now) const {
  if (!now.netsplit()) return true;
  switch (request) {
    case mqtt_request::connect: return options_.allow_register;
    case mqtt_request::publish: return options_.allow_publish;
    case mqtt_request::subscribe: return options_.allow_subscribe;
    case mqtt_request::unsubscribe: return options_.allow_unsubscribe;
  }
  return false;
}

}  // namespace ternmq::cluster
