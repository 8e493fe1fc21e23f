// Every message of the cluster link as a value type, and their encoding into frames. Each frame
// carries one message; the frame type byte is the `message_type`. docs/clustering.md lists the
// fields of each message in wire order.
//
// `decode` validates everything a peer could get wrong: truncated fields, unknown types and
// enums, counts larger than the frame, bytes left over, malformed UTF-8, topic names and
// filters, QoS values, nonce and proof sizes, and the contents of metadata entries. A decoded
// message is safe to act on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "broker/cluster/admin_messages.hpp"
#include "broker/cluster/app_message.hpp"
#include "broker/cluster/frame.hpp"
#include "broker/cluster/metadata_entry.hpp"
#include "broker/cluster/metadata_types.hpp"
#include "broker/cluster/session_snapshot.hpp"
#include "core/base/result.hpp"

namespace ternmq::cluster {

// Version of this protocol; peers of another version refuse each other in the handshake.
inline constexpr std::uint16_t k_protocol_version = 1;
inline constexpr std::size_t k_nonce_size = 32;  // random bytes
inline constexpr std::size_t k_proof_size = 32;  // HMAC-SHA256

// The numbers are the frame type byte.
enum class message_type : std::uint8_t {
  hello = 0x01, auth = 0x02, auth_ok = 0x03, auth_refused = 0x04,
  ping = 0x10, pong = 0x11,
  join = 0x20, members = 0x21, leave = 0x22,
  metadata_sync = 0x30, metadata_delta = 0x31,
  publish = 0x40,
  takeover_request = 0x50, session_transfer = 0x51, takeover_done = 0x52,
  admin_request = 0x60, admin_reply = 0x61,  // admin sessions only (admin_messages.hpp)
};

const char* to_string(message_type t);

// --- handshake (see handshake.hpp) -------------------------------------------------------------

// Server to client, first thing on a new link.
struct hello {
  std::uint16_t protocol_version = k_protocol_version;
  std::string nodename;
  std::string nonce;  // k_nonce_size bytes
  bool operator==(const hello&) const = default;
};

// Client to server: the client's proof that it knows the cookie.
struct auth {
  std::string nodename;
  std::string nonce;  // k_nonce_size bytes
  std::string proof;  // k_proof_size bytes
  bool operator==(const auth&) const = default;
};

// Server to client: the server's proof; the link is up.
struct auth_ok {
  std::string proof;  // k_proof_size bytes
  bool operator==(const auth_ok&) const = default;
};

// Why a handshake failed. The numbers are on the wire.
enum class refusal : std::uint8_t {
  wrong_cookie = 1,        // the peer's proof is wrong: it does not share our cookie
  version_mismatch = 2,
  own_name = 3,            // the peer claims our own node name
  unexpected_message = 4,  // a message out of order
  unexpected_peer = 5,     // the server is not the node the client meant to dial
};
const char* to_string(refusal r);

// Either side, before closing the link.
struct auth_refused {
  refusal reason = refusal::wrong_cookie;
  std::string detail;
  bool operator==(const auth_refused&) const = default;
};

// --- liveness ----------------------------------------------------------------------------------

struct ping {
  std::uint64_t seq = 0;
  bool operator==(const ping&) const = default;
};
struct pong {
  std::uint64_t seq = 0;  // the seq of the ping answered
  bool operator==(const pong&) const = default;
};

// --- membership (see membership.hpp) -----------------------------------------------------------

struct member_entry {
  std::string nodename;
  std::string address;  // the node's `listener.vmq.clustering`, host:port
  member_state state = member_state::joined;
  hlc_timestamp stamp;  // of the write that set this state
  bool operator==(const member_entry&) const = default;
};

// A node asks to be added to the cluster.
struct join {
  std::string nodename;
  std::string address;
  bool operator==(const join&) const = default;
};
// The member list, with stamps so that the receiver can merge it.
struct members {
  std::vector<member_entry> list;
  bool operator==(const members&) const = default;
};
// A node is asked to leave (or announces it leaves).
struct leave {
  std::string nodename;
  bool operator==(const leave&) const = default;
};

// --- metadata replication (see metadata_map.hpp) -----------------------------------------------

struct map_entries {
  map_id map = map_id::subscriptions;
  std::vector<metadata_entry> entries;
  bool operator==(const map_entries&) const = default;
};
// The full state of one or more maps, sent when a link comes up.
struct metadata_sync {
  std::vector<map_entries> maps;
  bool operator==(const metadata_sync&) const = default;
};
// New entries of one map, as they are written.
struct metadata_delta {
  map_id map = map_id::subscriptions;
  std::vector<metadata_entry> entries;
  bool operator==(const metadata_delta&) const = default;
};

// --- routing -----------------------------------------------------------------------------------

// A shared subscription (`$share/<group>/<filter>`) of which the receiving node delivers the
// message to exactly one local member, an online one if it has any.
struct shared_target {
  std::string group;
  std::string filter;
  bool operator==(const shared_target&) const = default;
};

// One message forwarded to one node: one frame per message per destination node, whatever the
// number of receivers there.
struct publish {
  std::string origin;               // node the client published on
  std::string mountpoint;
  app_message message;              // topic without the mountpoint
  std::string publisher_client_id;  // for No Local, within `mountpoint`
  bool to_plain_subscribers = true;  // deliver to the node's matching non-shared subscriptions
  std::vector<shared_target> shared;  // groups this node was chosen to serve for this message
  bool operator==(const publish&) const = default;
};

// --- sessions ----------------------------------------------------------------------------------

// The node a client connected to asks the node holding its session to hand it over.
struct takeover_request {
  std::uint64_t request_id = 0;  // chosen by the requester, echoed in the replies
  std::string mountpoint;
  std::string client_id;
  std::string requester;  // node name
  bool operator==(const takeover_request&) const = default;
};
// The holder's answer: the session (nullopt when it has none), after disconnecting the client.
// A leaving node also sends it unasked (request id 0) to migrate an offline session.
struct session_transfer {
  std::uint64_t request_id = 0;
  std::string mountpoint;
  std::string client_id;
  std::optional<session_snapshot> session;
  bool operator==(const session_transfer&) const = default;
};
// The receiver installed the session; the sender may now drop its copy.
struct takeover_done {
  std::uint64_t request_id = 0;
  std::string mountpoint;
  std::string client_id;
  bool operator==(const takeover_done&) const = default;
};

using message = std::variant<hello, auth, auth_ok, auth_refused, ping, pong, join, members, leave, metadata_sync,
                             metadata_delta, publish, takeover_request, session_transfer, takeover_done,
                             admin_request, admin_reply>;

message_type type_of(const message& m);

// The payload of `m` (no frame header). Fails on a field too long for its length prefix.
core::result<std::string> encode_payload(const message& m);
// A whole frame; fails as `encode_payload` does, or with `frame_too_large`.
core::result<std::string> encode(const message& m, std::uint32_t max_frame_size = k_default_max_frame_size);
// Decodes and validates one frame.
core::result<message> decode(const frame& f);

}  // namespace ternmq::cluster
