#include "broker/codec/wire.hpp"

namespace ternmq::codec {

bool is_valid_mqtt_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned c = *p;
    if (c < 0x80) {
      if (c == 0) return false;
      ++p;
      continue;
    }
    unsigned len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) < len) return false;
    for (unsigned i = 1; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not well-formed UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    if (cp > 0x10FFFF) return false;
    p += len;
  }
  return true;
}

std::size_t varint_size(std::uint32_t value) {
  if (value < 128) return 1;
  if (value < 16'384) return 2;
  if (value < 2'097'152) return 3;
  return 4;
}

void wire_reader::fail(reason_code code, const char* text) {
  if (!failed_) {
    failed_ = true;
    failure_ = code;
    failure_text_ = text;
  }
  p_ = end_;
}

bool wire_reader::need(std::size_t n) {
  if (failed_) return false;
  if (remaining() < n) {
    fail(reason_code::malformed_packet, "packet shorter than its fields");
    return false;
  }
  return true;
}

std::uint8_t wire_reader::u8() {
  if (!need(1)) return 0;
  return *p_++;
}

std::uint16_t wire_reader::u16() {
  if (!need(2)) return 0;
  const std::uint16_t v = static_cast<std::uint16_t>((p_[0] << 8) | p_[1]);
  p_ += 2;
  return v;
}

std::uint32_t wire_reader::u32() {
  if (!need(4)) return 0;
  const std::uint32_t v = (std::uint32_t{p_[0]} << 24) | (std::uint32_t{p_[1]} << 16) |
                          (std::uint32_t{p_[2]} << 8) | std::uint32_t{p_[3]};
  p_ += 4;
  return v;
}

std::uint32_t wire_reader::varint() {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    if (!need(1)) return 0;
    const std::uint8_t b = *p_++;
    value |= std::uint32_t{b & 0x7Fu} << (7 * i);
    if ((b & 0x80) == 0) {
      // MQTT-1.5.5-1: the minimum number of bytes; a trailing zero continuation is overlong.
      if (i > 0 && b == 0) fail(reason_code::malformed_packet, "variable byte integer not minimal");
      return value;
    }
  }
  fail(reason_code::malformed_packet, "variable byte integer longer than 4 bytes");
  return 0;
}

std::string wire_reader::utf8() {
  const std::uint16_t len = u16();
  if (!need(len)) return {};
  std::string s(reinterpret_cast<const char*>(p_), len);
  p_ += len;
  if (!is_valid_mqtt_utf8(s)) {
    fail(reason_code::malformed_packet, "invalid UTF-8 string");
    return {};
  }
  return s;
}

std::string wire_reader::binary() {
  const std::uint16_t len = u16();
  if (!need(len)) return {};
  std::string s(reinterpret_cast<const char*>(p_), len);
  p_ += len;
  return s;
}

std::string wire_reader::rest() {
  if (failed_) return {};
  std::string s(reinterpret_cast<const char*>(p_), remaining());
  p_ = end_;
  return s;
}

wire_reader wire_reader::take(std::size_t n) {
  if (!need(n)) {
    wire_reader r(p_, 0);
    r.fail(failure_, failure_text_);
    return r;
  }
  wire_reader r(p_, n);
  p_ += n;
  return r;
}

void wire_writer::u16(std::uint16_t v) {
  out_.push_back(static_cast<char>(v >> 8));
  out_.push_back(static_cast<char>(v & 0xFF));
}

void wire_writer::u32(std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out_.push_back(static_cast<char>((v >> shift) & 0xFF));
}

void wire_writer::varint(std::uint32_t v) {
  do {
    std::uint8_t b = v & 0x7F;
    v >>= 7;
    if (v) b |= 0x80;
    out_.push_back(static_cast<char>(b));
  } while (v);
}

void wire_writer::utf8(std::string_view s) {
  u16(static_cast<std::uint16_t>(s.size()));
  out_.append(s);
}

}  // namespace ternmq::codec
