// Frame encoding and the incremental frame decoder; see frame.hpp.
#include "broker/cluster/frame.hpp"

#include <utility>

#include "broker/cluster/error.hpp"
#include "broker/cluster/wire.hpp"

namespace ternmq::cluster {
namespace {

std::uint32_t read_length(const char* p) {
  const auto b = [p](int i) { return std::uint32_t{static_cast<std::uint8_t>(p[i])}; };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

}  // namespace

core::result<std::string> encode_frame(std::uint8_t type, std::string_view payload, std::uint32_t max_frame_size) {
  if (payload.size() >= max_frame_size) {
    return make_error(errc::frame_too_large, "frame of " + std::to_string(payload.size() + 1) +
                                                 " bytes exceeds the limit of " + std::to_string(max_frame_size));
  }
  std::string out;
  out.reserve(k_frame_header_size + payload.size());
  wire_writer w(out);
  w.u32(static_cast<std::uint32_t>(payload.size() + 1));
  w.u8(type);
  out.append(payload);
  return out;
}

core::error frame_decoder::fail(core::error e) {
  failed_ = true;
  failure_ = e;
  buffer_.clear();
  buffer_.shrink_to_fit();
  return e;
}

core::result<std::vector<frame>> frame_decoder::feed(std::string_view chunk) {
  if (failed_) return make_error(errc::decoder_failed, "stream failed earlier: " + failure_.message);

  // Parse straight from the chunk when nothing is held back (the common case: one read holds
  // whole frames); otherwise append and parse the held bytes.
  const bool from_buffer = !buffer_.empty();
  if (from_buffer) buffer_.append(chunk);
  const std::string_view input = from_buffer ? std::string_view(buffer_) : chunk;

  std::vector<frame> out;
  std::size_t pos = 0;
  while (input.size() - pos >= 4) {
    const std::uint32_t length = read_length(input.data() + pos);
    if (length == 0) return fail(make_error(errc::empty_frame, "frame without a type byte"));
    if (length > max_) {
      return fail(make_error(errc::frame_too_large, "frame length " + std::to_string(length) +
                                                        " exceeds the limit of " + std::to_string(max_)));
    }
    if (input.size() - pos - 4 < length) break;
    frame f;
    f.type = static_cast<std::uint8_t>(input[pos + 4]);
    f.payload.assign(input.substr(pos + k_frame_header_size, length - 1));
    out.push_back(std::move(f));
    pos += 4 + std::size_t{length};
  }

  if (from_buffer) {
    buffer_.erase(0, pos);
  } else {
    buffer_.assign(chunk.substr(pos));
  }
  return out;
}

}  // namespace ternmq::cluster
