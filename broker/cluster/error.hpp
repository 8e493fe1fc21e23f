// Error codes of the cluster link, carried in `core::error::code`. A peer's bytes are untrusted
// input, so every way they can be wrong is a value here, never an assert or an exception.
#pragma once

#include <string>
#include <utility>

#include "core/base/result.hpp"

namespace ternmq::cluster {

enum class errc : int {
  frame_too_large = 1,  // a frame's declared length is above the receiver's limit
  empty_frame,          // a frame with no type byte
  truncated,            // a field runs past the end of its frame
  trailing_bytes,       // bytes left over after the last field of a message
  unknown_message_type,
  invalid_value,        // a field out of its range (flag byte, QoS, enum, size of a nonce...)
  invalid_utf8,         // a text field that is not well-formed UTF-8 (or holds U+0000)
  count_too_large,      // an element count larger than the bytes left could hold
  decoder_failed,       // the stream decoder failed earlier and stays failed
  clock_drift,          // a remote timestamp too far ahead of our clock
  unknown_node,         // a membership change for a node never seen
};

const char* to_string(errc code);

inline core::error make_error(errc code, std::string text) {
  return core::error{static_cast<int>(code), std::move(text)};
}

inline bool is(const core::error& e, errc code) { return e.code == static_cast<int>(code); }

}  // namespace ternmq::cluster
