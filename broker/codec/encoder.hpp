// Pure MQTT encoding: packet values in, bytes out (appended to a caller-owned buffer).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "broker/codec/packets.hpp"

namespace ternmq::codec {

// Appends the wire form of `p` for a connection speaking `version`. Fields the version lacks
// (properties before 5.0, UNSUBACK reason codes) are left out.
void encode(const packet& p, protocol_version version, std::string& out);

// The fields of an outgoing PUBLISH, by reference, so a message shared by many receivers is
// encoded without first copying it into a `publish` value.
struct publish_view {
  bool dup = false;
  std::uint8_t qos = 0;
  bool retain = false;
  std::string_view topic;
  std::uint16_t packet_id = 0;
  const properties* props = nullptr;  // may be null: no properties
  std::string_view payload;
};

void encode_publish(const publish_view& p, protocol_version version, std::string& out);

// Size on the wire of what `encode_publish` appends, for the receiver's Maximum Packet Size.
std::size_t publish_wire_size(const publish_view& p, protocol_version version);

}  // namespace ternmq::codec
