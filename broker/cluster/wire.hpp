// Field primitives of the cluster link (docs/clustering.md, "Field types"): big-endian integers,
// length-prefixed text and bytes, and element counts. Both sides latch their first failure, so
// a codec writes or reads a whole message and checks once at the end.
//
// The reader never allocates more than the bytes it was given: a length or a count is checked
// against what is left before anything is copied or reserved, so a peer cannot make us allocate
// memory it did not send.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "broker/cluster/error.hpp"
#include "core/base/result.hpp"

namespace ternmq::cluster {

class wire_reader {
 public:
  explicit wire_reader(std::string_view data) : p_(data.data()), end_(data.data() + data.size()) {}

  std::uint8_t u8();
  std::uint16_t u16();
  std::uint32_t u32();
  std::uint64_t u64();
  // One byte that must be 0 or 1.
  bool flag();
  // u16 length + well-formed UTF-8 without U+0000 (the MQTT rule, so names survive the trip).
  std::string text();
  // u16 length + any bytes (nonces, proofs, correlation data, metadata keys).
  std::string bytes16();
  // u32 length + any bytes (payloads, metadata values).
  std::string bytes32();
  // A u32 element count, refused when `count * min_element_size` exceeds what is left: each
  // element takes at least that many bytes, so a larger count cannot be honest.
  // REQUIRES: min_element_size > 0.
  std::uint32_t count(std::size_t min_element_size);

  void fail(errc code, const char* what);
  // Adopts an error found by a nested decoder (a metadata value, say).
  void fail(const core::error& e);
  // Fails with `trailing_bytes` unless everything was read.
  void expect_end();

  std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }
  bool ok() const { return !failed_; }
  // The first failure. REQUIRES: !ok().
  core::error error() const;

 private:
  bool need(std::size_t n);
  const char* p_;
  const char* end_;
  bool failed_ = false;
  core::error error_;
};

// Appends fields to a byte string. A value too long for its length prefix latches a failure
// instead of being cut, so the encoder reports it rather than sending a corrupt message.
class wire_writer {
 public:
  explicit wire_writer(std::string& out) : out_(out) {}

  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(std::uint16_t v);
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void flag(bool v) { u8(v ? 1 : 0); }
  void text(std::string_view s) { bytes16(s); }
  void bytes16(std::string_view s);
  void bytes32(std::string_view s);
  void count(std::size_t n);

  bool ok() const { return !failed_; }
  const char* failure() const { return what_; }

 private:
  void fail(const char* what);
  std::string& out_;
  bool failed_ = false;
  const char* what_ = "";
};

}  // namespace ternmq::cluster
