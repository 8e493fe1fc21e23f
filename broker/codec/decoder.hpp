// Pure MQTT decoding: bytes in, packet values out. No I/O and no state beyond the arguments;
// the caller owns the receive buffer and calls `parse_frame` then `decode_packet`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "broker/codec/packets.hpp"
#include "broker/codec/reason_code.hpp"
#include "core/base/result.hpp"

namespace ternmq::codec {

struct frame {
  std::uint8_t type = 0;   // 1..15 once parsed
  std::uint8_t flags = 0;  // low nibble of the first byte
  std::uint32_t remaining_length = 0;
  std::size_t header_size = 0;  // 2..5
  std::size_t total_size() const { return header_size + remaining_length; }
};

enum class frame_status { need_more, complete, malformed };

// Reads the fixed header at `data`. `complete` means the header is whole (the body may not be).
frame_status parse_frame(const std::uint8_t* data, std::size_t size, frame& out);

struct decode_error {
  reason_code code = reason_code::malformed_packet;
  std::string_view what;
  // For CONNECT failures: the protocol level the client asked for (0 when unknown), so the
  // caller can answer in that version's CONNACK format.
  std::uint8_t connect_level = 0;
};

using decode_result = core::result<packet, decode_error>;

// Decodes one packet whose body (`f.remaining_length` bytes) starts at `body`. `version` is the
// connection's negotiated version; it is ignored for CONNECT, which carries its own.
decode_result decode_packet(const frame& f, const std::uint8_t* body, protocol_version version);

}  // namespace ternmq::codec
