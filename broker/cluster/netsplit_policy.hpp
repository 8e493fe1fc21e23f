// What a node may serve while some members are unreachable (a netsplit), after VerneMQ's
// `allow_register_during_netsplit`, `allow_publish_during_netsplit`,
// `allow_subscribe_during_netsplit` and `allow_unsubscribe_during_netsplit`. As in VerneMQ, all
// four default to off: while any member is unreachable, CONNECT, PUBLISH, SUBSCRIBE and
// UNSUBSCRIBE are refused, because the cluster cannot keep MQTT's guarantees across the split
// (one session per client id, a subscription seen by every publisher). Each flag trades that
// consistency for availability of one request type.
//
// Pure: the wiring passes the member list (from `membership`) and the set of peers whose links
// are up and answer pings.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "broker/cluster/membership.hpp"

namespace ternmq::cluster {

struct netsplit_options {
  bool allow_register = false;  // CONNECT
  bool allow_publish = false;
  bool allow_subscribe = false;
  bool allow_unsubscribe = false;
  bool operator==(const netsplit_options&) const = default;
};

enum class mqtt_request { connect, publish, subscribe, unsubscribe };
const char* to_string(mqtt_request r);

// Which members this node cannot reach now.
struct reachability {
  std::vector<std::string> unreachable;  // sorted
  bool netsplit() const { return !unreachable.empty(); }
};

// `members` as returned by `membership::members()` (self included or not: self is skipped).
reachability assess(const std::string& self, const std::vector<member>& members, const std::set<std::string>& reachable);

class netsplit_policy {
 public:
  explicit netsplit_policy(netsplit_options options = {}) : options_(options) {}

  // True when `request` may be served now: always without a netsplit, else when its flag is on.
  bool allows(mqtt_request request, const reachability& now) const;

  const netsplit_options& options() const { return options_; }

 private:
  netsplit_options options_;
};

}  // namespace ternmq::cluster
