// An MQTT application message as the cluster carries it between nodes: in a forwarded publish,
// in a retained-message entry and in a transferred session's queue and will.
//
// These are plain values owned by the cluster module rather than `session::message`, so the
// wire format does not change when the broker's in-memory types do. Topics are as the client
// sees them, without the mountpoint, which travels beside them; the wiring mounts and unmounts.
// Time is relative: a message's expiry travels as the seconds it has left when encoded, because
// steady-clock time points mean nothing on another node.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ternmq::cluster {

using user_property = std::pair<std::string, std::string>;

// The MQTT 5.0 properties a message keeps on its way to receivers (section 3.3.2.3). Topic
// aliases and subscription identifiers are per receiver and never travel.
struct message_properties {
  std::optional<std::uint8_t> payload_format;        // 0 bytes, 1 UTF-8
  std::optional<std::uint32_t> message_expiry;       // seconds left when encoded
  std::optional<std::string> content_type;
  std::optional<std::string> response_topic;
  std::optional<std::string> correlation_data;       // binary
  std::vector<user_property> user;                   // in the publisher's order, duplicates kept
  bool operator==(const message_properties&) const = default;
};

struct app_message {
  std::string topic;
  std::string payload;
  std::uint8_t qos = 0;  // 0..2
  bool retain = false;
  message_properties props;
  bool operator==(const app_message&) const = default;
};

}  // namespace ternmq::cluster
