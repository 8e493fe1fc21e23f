// Framing of the cluster link: `u32 big-endian length | u8 type | payload`, where the length
// counts the type byte and the payload. TCP delivers a byte stream split anywhere; the
// `frame_decoder` turns chunks of it back into whole frames.
//
// A frame may not be longer than the receiver's limit. The limit is checked as soon as the four
// length bytes arrive, before the body, and the decoder only ever holds bytes the peer actually
// sent, so a hostile length cannot make us allocate memory. The link keeps a small limit until
// the peer has authenticated (`k_handshake_max_frame_size`) and raises it afterwards.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"

namespace ternmq::cluster {

// Bytes before the payload: the length field and the type byte.
inline constexpr std::size_t k_frame_header_size = 5;
// Default limit on the length field: the largest MQTT packet (268,435,455 bytes, MQTT 5.0
// section 1.5.5) plus 1 MiB for the cluster envelope, so any message a node accepted can be
// forwarded. The wiring lowers it to the broker's `max_message_size` plus envelope when set.
inline constexpr std::uint32_t k_default_max_frame_size = 268'435'455u + 1'048'576u;
// Limit before authentication: the handshake messages are a few hundred bytes.
inline constexpr std::uint32_t k_handshake_max_frame_size = 4096;

struct frame {
  std::uint8_t type = 0;
  std::string payload;
  bool operator==(const frame&) const = default;
};

// The bytes of one frame; fails with `frame_too_large` when `1 + payload.size()` exceeds
// `max_frame_size` (the receiver would refuse it).
core::result<std::string> encode_frame(std::uint8_t type, std::string_view payload,
                                       std::uint32_t max_frame_size = k_default_max_frame_size);

// Incremental decoder, one per link. Not thread-safe: the link's strand owns it.
class frame_decoder {
 public:
  explicit frame_decoder(std::uint32_t max_frame_size = k_default_max_frame_size) : max_(max_frame_size) {}

  // Consumes `chunk` (any size, split anywhere) and returns the frames it completed, in order.
  // On a malformed stream (zero or too large length) it fails, and stays failed: every later
  // call returns the same error, since the stream position is lost for good. Frames the same
  // chunk completed before the bad header are dropped with it: the link closes anyway.
  core::result<std::vector<frame>> feed(std::string_view chunk);

  // Applies to frames whose length field has not been read yet.
  void set_max_frame_size(std::uint32_t max_frame_size) { max_ = max_frame_size; }
  std::uint32_t max_frame_size() const { return max_; }

  bool failed() const { return failed_; }
  // Bytes of an incomplete frame held back for the next chunk.
  std::size_t buffered() const { return buffer_.size(); }

 private:
  core::error fail(core::error e);

  std::uint32_t max_;
  std::string buffer_;
  bool failed_ = false;
  core::error failure_;
};

}  // namespace ternmq::cluster
