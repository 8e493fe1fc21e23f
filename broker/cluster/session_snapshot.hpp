// A session as it moves between nodes: on takeover (the client reconnects to another node) and
// when a leaving node hands over its offline queues. Modelled on what `session::session` holds,
// but as plain values owned by the cluster module; the wiring converts both ways.
//
// Nothing here refers to a clock: times are seconds relative to the moment of encoding.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/cluster/app_message.hpp"

namespace ternmq::cluster {

// One subscription as the client made it (`$share/<group>/` included, mountpoint excluded).
struct snapshot_subscription {
  std::string filter;
  std::uint8_t qos = 0;
  bool no_local = false;
  bool retain_as_published = false;
  std::uint32_t identifier = 0;  // 0 = none
  bool operator==(const snapshot_subscription&) const = default;
};

// A message on its way to this session: the message as published, plus what this receiver
// gets (its granted QoS, the retain flag as delivered, its subscription identifiers).
struct queued_message {
  app_message message;
  std::uint8_t qos = 0;
  bool retain = false;
  std::vector<std::uint32_t> subscription_ids;
  bool operator==(const queued_message&) const = default;
};

// Where an outgoing QoS 1/2 message stands (MQTT 5.0 section 4.3). The numbers are on the wire.
enum class inflight_stage : std::uint8_t {
  awaiting_ack = 0,      // PUBLISH sent, waiting for PUBACK (QoS 1) or PUBREC (QoS 2)
  awaiting_pubcomp = 1,  // PUBREL sent, waiting for PUBCOMP (QoS 2)
};

struct inflight_message {
  std::uint16_t packet_id = 0;  // 1..65535, unique within the session
  inflight_stage stage = inflight_stage::awaiting_ack;
  queued_message delivery;  // qos 1 or 2; awaiting_pubcomp requires 2
  bool operator==(const inflight_message&) const = default;
};

struct will_snapshot {
  app_message message;
  // Seconds until the will is due: its Will Delay Interval, less the time already waited if
  // the session is offline.
  std::uint32_t delay_seconds = 0;
  bool operator==(const will_snapshot&) const = default;
};

struct session_snapshot {
  std::vector<snapshot_subscription> subscriptions;
  std::vector<queued_message> queue;         // oldest first
  std::vector<inflight_message> inflight;    // in the order first sent
  std::vector<std::uint16_t> incoming_qos2;  // QoS 2 packet ids received, PUBREL not yet
  std::uint32_t expiry_interval = 0;         // Session Expiry Interval, seconds
  std::optional<std::uint32_t> offline_seconds;  // how long offline; nullopt while connected
  std::optional<will_snapshot> will;
  bool operator==(const session_snapshot&) const = default;
};

}  // namespace ternmq::cluster
