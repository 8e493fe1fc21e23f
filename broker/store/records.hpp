// The byte layout of what the message store keeps in the key-value store (documented in
// docs/store-format.md). Pure: values in, bytes out, and back; a record that does not decode
// is reported, never trusted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "broker/session/message.hpp"
#include "broker/session/persistence.hpp"
#include "broker/session/session.hpp"

namespace ternmq::store {

inline constexpr std::string_view k_retained_prefix = "r/";
inline constexpr std::string_view k_session_prefix = "s/";
inline constexpr std::string_view k_queue_prefix = "q/";

std::string retained_key(std::string_view topic);
std::string session_key(std::string_view client_id);
// Messages of one session sort by sequence: "q/" client_id '\0' seq (8 bytes, big-endian).
std::string queue_key(std::string_view client_id, std::uint64_t seq);
std::string queue_prefix(std::string_view client_id);
// Splits a queue key; nullopt when it is not one.
std::optional<std::pair<std::string, std::uint64_t>> parse_queue_key(std::string_view key);

// A stored message with what the session knew of it.
struct stored_message {
  session::message_ptr msg;  // null for a released QoS 2 message (only the id matters)
  std::uint8_t qos = 0;      // the receiver's QoS
  bool retain = false;       // the receiver's retain flag
  std::vector<std::uint32_t> subscription_ids;
  std::uint16_t packet_id = 0;  // 0 = not sent yet
  bool released = false;        // PUBREC received, PUBCOMP pending
};

std::string encode_message(const session::message& m, std::uint8_t qos, bool retain,
                           const std::vector<std::uint32_t>& subscription_ids, std::uint16_t packet_id,
                           bool released);
std::optional<stored_message> decode_message(std::string_view bytes);

std::string encode_session(const session::session_record& r);
std::optional<session::session_record> decode_session(std::string_view client_id, std::string_view bytes);

}  // namespace ternmq::store
