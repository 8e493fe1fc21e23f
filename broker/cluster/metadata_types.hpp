// What the keys and values of each replicated map mean, and their byte forms. `metadata_map`
// stores bytes; these functions are the only place that builds or reads them, and the message
// decoder runs the `decode_*` functions on every received entry (`check_entry`) so that a
// malformed entry never reaches a replica.
//
//   map            key.owner   key.name                         value
//   membership     ""          nodename                         member_value
//   subscriptions  node        mountpoint, client id, filter    subscription_value
//   retained       ""          mountpoint, topic                retained_value
//
// The encoders take values the broker already validated (MQTT strings fit their u16 length
// prefixes; node names and addresses are checked at configuration), so they cannot fail.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "broker/cluster/app_message.hpp"
#include "broker/cluster/metadata_entry.hpp"
#include "core/base/result.hpp"

namespace ternmq::cluster {

// A node name: 1..255 bytes of UTF-8 (VerneMQ's are like `VerneMQ@10.0.0.7`).
bool is_valid_nodename(std::string_view name);
// A `listener.vmq.clustering` address: `host:port` or `[v6]:port`, port 1..65535.
bool is_valid_cluster_address(std::string_view address);

// --- membership --------------------------------------------------------------------------------

// The numbers are on the wire.
enum class member_state : std::uint8_t {
  joined = 1,   // a member: peers link to it and count it for netsplit detection
  leaving = 2,  // asked to leave: takes no new clients, hands its sessions over
  left = 3,     // gone for good; the name may join again later with a newer write
};
const char* to_string(member_state s);

struct member_value {
  std::string address;
  member_state state = member_state::joined;
  bool operator==(const member_value&) const = default;
};

metadata_key member_key(std::string_view nodename);
std::string encode_value(const member_value& v);
core::result<std::string> decode_member_key(const metadata_key& key);  // the nodename
core::result<member_value> decode_member_value(std::string_view bytes);

// --- subscriptions -----------------------------------------------------------------------------

struct subscription_key {
  std::string node;  // where the session lives
  std::string mountpoint;
  std::string client_id;
  std::string filter;  // as subscribed, `$share/<group>/` included
  bool operator==(const subscription_key&) const = default;
};

struct subscription_value {
  std::uint8_t qos = 0;
  bool no_local = false;
  bool retain_as_published = false;
  std::uint32_t identifier = 0;  // 0 = none
  bool operator==(const subscription_value&) const = default;
};

metadata_key encode_key(const subscription_key& k);
std::string encode_value(const subscription_value& v);
core::result<subscription_key> decode_subscription_key(const metadata_key& key);
core::result<subscription_value> decode_subscription_value(std::string_view bytes);

// --- retained messages -------------------------------------------------------------------------

struct retained_key {
  std::string mountpoint;
  std::string topic;
  bool operator==(const retained_key&) const = default;
};

// A retained message (its topic is in the key). Deleting it is a tombstone, not a value.
struct retained_value {
  std::string payload;
  std::uint8_t qos = 0;
  message_properties props;  // `message_expiry` is the interval as published
  std::optional<std::uint64_t> expires_at_ms;  // wall clock, ms since the epoch; a stored value outlives any relative time
  bool operator==(const retained_value&) const = default;
};

metadata_key encode_key(const retained_key& k);
std::string encode_value(const retained_value& v);
core::result<retained_key> decode_retained_key(const metadata_key& key);
core::result<retained_value> decode_retained_value(std::string_view bytes);

// What is wrong with `e` as an entry of `map` (key, stamp, and value unless a tombstone), or
// nullopt when it is well-formed.
std::optional<core::error> check_entry(map_id map, const metadata_entry& e);

}  // namespace ternmq::cluster
