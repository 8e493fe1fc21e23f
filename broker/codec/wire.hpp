// Wire primitives of MQTT (section 1.5): big-endian integers, variable byte integers, UTF-8
// strings and binary data. `wire_reader` latches the first failure: after one bad read every
// later read fails too, so a decoder checks once at the end of a field group.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "broker/codec/reason_code.hpp"

namespace ternmq::codec {

// Largest value a variable byte integer can carry (4 bytes).
inline constexpr std::uint32_t k_max_varint = 268'435'455;

// True when `s` is well-formed UTF-8 without U+0000 and without surrogates (MQTT-1.5.4-1, -2).
bool is_valid_mqtt_utf8(std::string_view s);

// Bytes a variable byte integer takes for `value` (1..4).
std::size_t varint_size(std::uint32_t value);

class wire_reader {
 public:
  wire_reader(const std::uint8_t* data, std::size_t size) : p_(data), end_(data + size) {}

  std::uint8_t u8();
  std::uint16_t u16();
  std::uint32_t u32();
  std::uint32_t varint();
  // A UTF-8 string field; fails with `malformed_packet` on invalid UTF-8 or U+0000.
  std::string utf8();
  std::string binary();
  // The rest of the input, for PUBLISH payloads.
  std::string rest();
  // A sub-reader over the next `n` bytes, consumed from this one.
  wire_reader take(std::size_t n);

  std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }
  bool ok() const { return !failed_; }
  reason_code failure() const { return failure_; }
  const char* failure_text() const { return failure_text_; }
  void fail(reason_code code, const char* text);

 private:
  bool need(std::size_t n);
  const std::uint8_t* p_;
  const std::uint8_t* end_;
  bool failed_ = false;
  reason_code failure_ = reason_code::success;
  const char* failure_text_ = "";
};

// Appends encoded fields to a byte string.
class wire_writer {
 public:
  explicit wire_writer(std::string& out) : out_(out) {}
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(std::uint16_t v);
  void u32(std::uint32_t v);
  void varint(std::uint32_t v);
  void utf8(std::string_view s);  // REQUIRES: s.size() <= 65535
  void binary(std::string_view s) { utf8(s); }
  void raw(std::string_view s) { out_.append(s); }
  std::string& buffer() { return out_; }

 private:
  std::string& out_;
};

}  // namespace ternmq::codec
