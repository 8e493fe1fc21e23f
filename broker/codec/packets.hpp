// MQTT control packets as plain values, for 3.1 (protocol level 3), 3.1.1 (4) and 5.0 (5).
// Fields that a version lacks keep their defaults. No I/O here: see decoder.hpp and encoder.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "broker/codec/properties.hpp"

namespace ternmq::codec {

enum class protocol_version : std::uint8_t { v31 = 3, v311 = 4, v5 = 5 };

enum class packet_type : std::uint8_t {
  connect = 1, connack = 2, publish = 3, puback = 4, pubrec = 5, pubrel = 6, pubcomp = 7,
  subscribe = 8, suback = 9, unsubscribe = 10, unsuback = 11, pingreq = 12, pingresp = 13,
  disconnect = 14, auth = 15,
};

struct will_message {
  std::string topic;
  std::string payload;
  std::uint8_t qos = 0;
  bool retain = false;
  properties props;
  bool operator==(const will_message&) const = default;
};

struct connect {
  protocol_version version = protocol_version::v311;
  bool clean_start = true;
  std::uint16_t keep_alive = 0;
  std::string client_id;
  std::optional<will_message> will;
  std::optional<std::string> username;
  std::optional<std::string> password;
  properties props;
  bool operator==(const connect&) const = default;
};

struct connack {
  bool session_present = false;
  std::uint8_t reason_code = 0;  // 3.x return code or 5.0 reason code
  properties props;
  bool operator==(const connack&) const = default;
};

struct publish {
  bool dup = false;
  std::uint8_t qos = 0;
  bool retain = false;
  std::string topic;
  std::uint16_t packet_id = 0;  // 0 when qos == 0
  properties props;
  std::string payload;
  bool operator==(const publish&) const = default;
};

// PUBACK, PUBREC, PUBREL and PUBCOMP share one shape.
template <packet_type Type>
struct basic_ack {
  static constexpr packet_type type = Type;
  std::uint16_t packet_id = 0;
  std::uint8_t reason_code = 0;
  properties props;
  bool operator==(const basic_ack&) const = default;
};
using puback = basic_ack<packet_type::puback>;
using pubrec = basic_ack<packet_type::pubrec>;
using pubrel = basic_ack<packet_type::pubrel>;
using pubcomp = basic_ack<packet_type::pubcomp>;

struct subscription_request {
  std::string filter;
  std::uint8_t qos = 0;
  bool no_local = false;
  bool retain_as_published = false;
  std::uint8_t retain_handling = 0;
  bool operator==(const subscription_request&) const = default;
};

struct subscribe {
  std::uint16_t packet_id = 0;
  properties props;
  std::vector<subscription_request> subscriptions;
  bool operator==(const subscribe&) const = default;
};

struct suback {
  std::uint16_t packet_id = 0;
  properties props;
  std::vector<std::uint8_t> reason_codes;
  bool operator==(const suback&) const = default;
};

struct unsubscribe {
  std::uint16_t packet_id = 0;
  properties props;
  std::vector<std::string> filters;
  bool operator==(const unsubscribe&) const = default;
};

struct unsuback {
  std::uint16_t packet_id = 0;
  properties props;
  std::vector<std::uint8_t> reason_codes;  // 5.0 only
  bool operator==(const unsuback&) const = default;
};

struct pingreq {
  bool operator==(const pingreq&) const = default;
};
struct pingresp {
  bool operator==(const pingresp&) const = default;
};

struct disconnect {
  std::uint8_t reason_code = 0;
  properties props;
  bool operator==(const disconnect&) const = default;
};

struct auth {
  std::uint8_t reason_code = 0;
  properties props;
  bool operator==(const auth&) const = default;
};

using packet = std::variant<connect, connack, publish, puback, pubrec, pubrel, pubcomp, subscribe,
                            suback, unsubscribe, unsuback, pingreq, pingresp, disconnect, auth>;

packet_type type_of(const packet& p);
const char* to_string(packet_type t);

}  // namespace ternmq::codec
