// Message types, names, and the frame-level encode/decode that dispatches to the body codecs in
// codec_parts.hpp; see messages.hpp.
#include "broker/cluster/messages.hpp"

#include <type_traits>

#include "broker/cluster/codec_parts.hpp"

namespace ternmq::cluster {
namespace {

// The message type of each alternative, in variant order.
constexpr message_type k_types[] = {
    message_type::hello,           message_type::auth,          message_type::auth_ok,
    message_type::auth_refused,    message_type::ping,          message_type::pong,
    message_type::join,            message_type::members,       message_type::leave,
    message_type::metadata_sync,   message_type::metadata_delta, message_type::publish,
    message_type::takeover_request, message_type::session_transfer, message_type::takeover_done,
    message_type::admin_request,   message_type::admin_reply,
};
static_assert(std::size(k_types) == std::variant_size_v<message>);

template <class T>
core::result<message> decode_as(const frame& f) {
  wire_reader r(f.payload);
  T out;
  parts::get(r, out);
  r.expect_end();
  if (!r.ok()) {
    core::error e = r.error();
    e.message = std::string(to_string(static_cast<message_type>(f.type))) + ": " + e.message;
    return e;
  }
  return message{std::move(out)};
}

}  // namespace

const char* to_string(message_type t) {
  switch (t) {
    case message_type::hello: return "hello";
    case message_type::auth: return "auth";
    case message_type::auth_ok: return "auth_ok";
    case message_type::auth_refused: return "auth_refused";
    case message_type::ping: return "ping";
    case message_type::pong: return "pong";
    case message_type::join: return "join";
    case message_type::members: return "members";
    case message_type::leave: return "leave";
    case message_type::metadata_sync: return "metadata_sync";
    case message_type::metadata_delta: return "metadata_delta";
    case message_type::publish: return "publish";
    case message_type::takeover_request: return "takeover_request";
    case message_type::session_transfer: return "session_transfer";
    case message_type::takeover_done: return "takeover_done";
    case message_type::admin_request: return "admin_request";
    case message_type::admin_reply: return "admin_reply";
  }
  return "unknown";
}

const char* to_string(refusal r) {
  switch (r) {
    case refusal::wrong_cookie: return "wrong_cookie";
    case refusal::version_mismatch: return "version_mismatch";
    case refusal::own_name: return "own_name";
    case refusal::unexpected_message: return "unexpected_message";
    case refusal::unexpected_peer: return "unexpected_peer";
  }
  return "unknown";
}

message_type type_of(const message& m) { return k_types[m.index()]; }

core::result<std::string> encode_payload(const message& m) {
  std::string out;
  wire_writer w(out);
  std::visit([&w](const auto& body) { parts::put(w, body); }, m);
  if (!w.ok()) return make_error(errc::invalid_value, std::string(to_string(type_of(m))) + ": " + w.failure());
  return out;
}

core::result<std::string> encode(const message& m, std::uint32_t max_frame_size) {
  auto payload = encode_payload(m);
  if (!payload) return payload.err();
  return encode_frame(static_cast<std::uint8_t>(type_of(m)), *payload, max_frame_size);
}

core::result<message> decode(const frame& f) {
  switch (static_cast<message_type>(f.type)) {
    case message_type::hello: return decode_as<hello>(f);
    case message_type::auth: return decode_as<auth>(f);
    case message_type::auth_ok: return decode_as<auth_ok>(f);
    case message_type::auth_refused: return decode_as<auth_refused>(f);
    case message_type::ping: return decode_as<ping>(f);
    case message_type::pong: return decode_as<pong>(f);
    case message_type::join: return decode_as<join>(f);
    case message_type::members: return decode_as<members>(f);
    case message_type::leave: return decode_as<leave>(f);
    case message_type::metadata_sync: return decode_as<metadata_sync>(f);
    case message_type::metadata_delta: return decode_as<metadata_delta>(f);
    case message_type::publish: return decode_as<publish>(f);
    case message_type::takeover_request: return decode_as<takeover_request>(f);
    case message_type::session_transfer: return decode_as<session_transfer>(f);
    case message_type::takeover_done: return decode_as<takeover_done>(f);
    case message_type::admin_request: return decode_as<admin_request>(f);
    case message_type::admin_reply: return decode_as<admin_reply>(f);
  }
  return make_error(errc::unknown_message_type, "unknown message type " + std::to_string(f.type));
}

}  // namespace ternmq::cluster
