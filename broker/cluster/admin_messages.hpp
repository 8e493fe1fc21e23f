// The messages of an admin session: `ternmq-admin` authenticates on a node's cluster listener
// with the ordinary handshake (under a throwaway name such as `admin@1234`), then sends one
// `admin_request` instead of the `join` or `members` a peer node would send, and reads one
// `admin_reply`. A node that reads an `admin_request` as the first message of a link treats the
// link as an admin session and never as a peer. Older nodes do not know the two types and close
// the link (`unknown_message_type`), so adding them changes nothing for node-to-node traffic.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "broker/cluster/metadata_types.hpp"

namespace ternmq::cluster {

// The numbers are on the wire.
enum class admin_command : std::uint8_t {
  cluster_show = 1,   // argument unused (empty)
  cluster_join = 2,   // argument: the discovery node, `NAME@HOST:PORT` (its cluster listener)
  cluster_leave = 3,  // argument: the node name to mark as left
};
const char* to_string(admin_command c);

struct admin_request {
  admin_command command = admin_command::cluster_show;
  std::string argument;
  bool operator==(const admin_request&) const = default;
};

// One row of `cluster show`: a member as the answering node sees it.
struct member_status {
  std::string nodename;
  std::string address;
  member_state state = member_state::joined;
  bool running = false;  // the node itself, or a peer whose link is up
  bool operator==(const member_status&) const = default;
};

struct admin_reply {
  bool ok = true;
  std::string detail;                  // the error when not ok; a note otherwise (may be empty)
  std::vector<member_status> members;  // for cluster_show; empty for the other commands
  bool operator==(const admin_reply&) const = default;
};

}  // namespace ternmq::cluster
