// Implementation of the cluster wire primitives; see wire.hpp.
#include "broker/cluster/wire.hpp"

#include <limits>

#include "broker/codec/wire.hpp"

namespace ternmq::cluster {

void wire_reader::fail(errc code, const char* what) { fail(make_error(code, what)); }

void wire_reader::fail(const core::error& e) {
  if (!failed_) {
    failed_ = true;
    error_ = e;
  }
  p_ = end_;
}

core::error wire_reader::error() const { return error_; }

void wire_reader::expect_end() {
  if (ok() && remaining() != 0) fail(errc::trailing_bytes, "bytes after the last field");
}

bool wire_reader::need(std::size_t n) {
  if (failed_) return false;
  if (remaining() < n) {
    fail(errc::truncated, "field runs past the end of the frame");
    return false;
  }
  return true;
}

std::uint8_t wire_reader::u8() {
  if (!need(1)) return 0;
  return static_cast<std::uint8_t>(*p_++);
}

std::uint16_t wire_reader::u16() {
  const std::uint16_t hi = u8();
  const std::uint16_t lo = u8();
  return static_cast<std::uint16_t>((hi << 8) | lo);
}

std::uint32_t wire_reader::u32() {
  const std::uint32_t hi = u16();
  const std::uint32_t lo = u16();
  return (hi << 16) | lo;
}

std::uint64_t wire_reader::u64() {
  const std::uint64_t hi = u32();
  const std::uint64_t lo = u32();
  return (hi << 32) | lo;
}

bool wire_reader::flag() {
  const std::uint8_t v = u8();
  if (v > 1) fail(errc::invalid_value, "flag byte other than 0 or 1");
  return v == 1;
}

std::string wire_reader::text() {
  std::string s = bytes16();
  if (ok() && !codec::is_valid_mqtt_utf8(s)) {
    fail(errc::invalid_utf8, "text field is not well-formed UTF-8");
    return {};
  }
  return s;
}

std::string wire_reader::bytes16() {
  const std::uint16_t n = u16();
  if (!need(n)) return {};
  std::string s(p_, n);
  p_ += n;
  return s;
}

std::string wire_reader::bytes32() {
  const std::uint32_t n = u32();
  if (!need(n)) return {};
  std::string s(p_, n);
  p_ += n;
  return s;
}

std::uint32_t wire_reader::count(std::size_t min_element_size) {
  const std::uint32_t n = u32();
  if (!ok()) return 0;
  if (n > remaining() / min_element_size) {
    fail(errc::count_too_large, "element count larger than the frame could hold");
    return 0;
  }
  return n;
}

void wire_writer::fail(const char* what) {
  if (!failed_) {
    failed_ = true;
    what_ = what;
  }
}

void wire_writer::u16(std::uint16_t v) {
  u8(static_cast<std::uint8_t>(v >> 8));
  u8(static_cast<std::uint8_t>(v & 0xFF));
}

void wire_writer::u32(std::uint32_t v) {
  u16(static_cast<std::uint16_t>(v >> 16));
  u16(static_cast<std::uint16_t>(v & 0xFFFF));
}

void wire_writer::u64(std::uint64_t v) {
  u32(static_cast<std::uint32_t>(v >> 32));
  u32(static_cast<std::uint32_t>(v & 0xFFFF'FFFF));
}

void wire_writer::bytes16(std::string_view s) {
  if (s.size() > std::numeric_limits<std::uint16_t>::max()) {
    fail("text or bytes field longer than 65535 bytes");
    return;
  }
  u16(static_cast<std::uint16_t>(s.size()));
  out_.append(s);
}

void wire_writer::bytes32(std::string_view s) {
  if (s.size() > std::numeric_limits<std::uint32_t>::max()) {
    fail("bytes field longer than 4 GiB");
    return;
  }
  u32(static_cast<std::uint32_t>(s.size()));
  out_.append(s);
}

void wire_writer::count(std::size_t n) {
  if (n > std::numeric_limits<std::uint32_t>::max()) {
    fail("more than 2^32-1 elements");
    return;
  }
  u32(static_cast<std::uint32_t>(n));
}

}  // namespace ternmq::cluster
