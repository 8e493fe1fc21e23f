// Byte builders and decode helpers shared by the codec tests. The builders write wire bytes out
// by hand, independently of the encoder under test.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "broker/codec/decoder.hpp"
#include "broker/codec/encoder.hpp"
#include "broker/codec/packets.hpp"

namespace ternmq::codec::test_support {

using bytes = std::vector<std::uint8_t>;
using pv = protocol_version;

inline bytes cat(std::initializer_list<bytes> parts) {
  bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline bytes varint(std::uint32_t v) {
  bytes out;
  do {
    std::uint8_t b = v & 0x7F;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
  return out;
}

inline bytes u16(std::uint16_t v) { return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v & 0xFF)}; }

// A length-prefixed UTF-8 string or binary field, taken byte for byte (invalid UTF-8 included).
inline bytes str(std::string_view s) {
  bytes out = u16(static_cast<std::uint16_t>(s.size()));
  for (char c : s) out.push_back(static_cast<std::uint8_t>(c));  // not insert(): GCC 12 -Warray-bounds false positive
  return out;
}

// A Properties block: its length, then `content`.
inline bytes props(const bytes& content) { return cat({varint(static_cast<std::uint32_t>(content.size())), content}); }

// A whole packet: first byte, Remaining Length, body.
inline bytes pkt(std::uint8_t first, const bytes& body) {
  return cat({{first}, varint(static_cast<std::uint32_t>(body.size())), body});
}

inline bytes encoded(const packet& p, pv v) {
  std::string out;
  encode(p, v, out);
  return bytes(out.begin(), out.end());
}

// Decodes `b`, which must be exactly one whole frame. The body gets its own allocation so that an
// overread is caught by the sanitizers instead of reading the next bytes.
inline decode_result decode(const bytes& b, pv v) {
  frame f;
  if (parse_frame(b.data(), b.size(), f) != frame_status::complete || f.total_size() != b.size())
    return decode_error{reason_code::unspecified_error, "test input is not exactly one frame"};
  const auto body = std::make_unique<std::uint8_t[]>(f.remaining_length + 1);
  std::copy(b.begin() + static_cast<std::ptrdiff_t>(f.header_size), b.end(), body.get());
  return decode_packet(f, body.get(), v);
}

// The reason code of the failure, or `success` when `b` decoded.
inline reason_code error_of(const bytes& b, pv v) {
  const auto r = decode(b, v);
  return r ? reason_code::success : r.err().code;
}

template <class T>
T decode_as(const bytes& b, pv v) {
  auto r = decode(b, v);
  if (!r) {
    ADD_FAILURE() << "decode failed: " << r.err().what;
    return T{};
  }
  if (!std::holds_alternative<T>(r.value())) {
    ADD_FAILURE() << "decoded another packet type";
    return T{};
  }
  return std::get<T>(std::move(r).value());
}

}  // namespace ternmq::codec::test_support
