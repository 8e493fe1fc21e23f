// A published application message. Immutable once routed and shared by every receiver through
// `message_ptr`: fan-out to N subscribers costs N pointer copies, never N payload copies.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "broker/codec/properties.hpp"

namespace ternmq::session {

using clock = std::chrono::steady_clock;

struct message {
  std::string topic;  // full topic, mountpoint included
  std::string payload;
  std::uint8_t qos = 0;
  bool retain = false;
  // Properties forwarded to receivers: payload format, content type, response topic,
  // correlation data, user properties. The expiry interval is kept as `expires_at` and
  // recomputed per delivery; topic alias and subscription ids are per receiver.
  codec::properties props;
  std::optional<clock::time_point> expires_at;
  std::uint64_t publisher = 0;  // subscriber id of the publishing session, for No Local

  bool expired(clock::time_point now) const { return expires_at && now >= *expires_at; }
};

using message_ptr = std::shared_ptr<const message>;

// One message on its way to one session: the receiver-specific QoS, retain flag and
// subscription identifiers.
struct delivery {
  message_ptr msg;
  std::uint8_t qos = 0;
  bool retain = false;
  std::vector<std::uint32_t> subscription_ids;
  std::uint64_t store_seq = 0;  // key of its durable copy (persistent sessions), 0 = none
};

}  // namespace ternmq::session
