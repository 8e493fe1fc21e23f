// libFuzzer target for the MQTT decoder. The input is read as the byte stream a client sends:
// `parse_frame` splits it into frames and `decode_packet` decodes each, once per protocol version.
// Beyond "no crash, no sanitizer report", every decode must either fail with a reason code the
// decoder is allowed to give, or produce a packet that encodes and decodes back to itself; any
// other outcome aborts so libFuzzer saves the input.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "broker/codec/decoder.hpp"
#include "broker/codec/encoder.hpp"
#include "broker/codec/wire.hpp"

namespace {

using namespace ternmq::codec;

[[noreturn]] void die(const char* what, protocol_version v, const packet* p = nullptr) {
  std::fprintf(stderr, "decoder_fuzz: %s (protocol level %d, packet %s)\n", what, static_cast<int>(v),
               p ? to_string(type_of(*p)) : "-");
  std::abort();
}

bool allowed_failure(reason_code c) {
  return c == reason_code::malformed_packet || c == reason_code::protocol_error ||
         c == reason_code::topic_name_invalid || c == reason_code::unsupported_protocol_version;
}

// Decodes the frame at `data` from an allocation of exactly its body size, so a read past the
// body is an AddressSanitizer report rather than a read of the next frame.
decode_result decode_alone(const frame& f, const std::uint8_t* data, protocol_version v) {
  const std::vector<std::uint8_t> body(data + f.header_size, data + f.total_size());
  return decode_packet(f, body.data(), v);
}

// What the server relies on after a successful decode, whatever the input was.
void check_invariants(const packet& p, protocol_version v) {
  if (const auto* pub = std::get_if<publish>(&p)) {
    if (pub->qos > 2 || (pub->qos == 0 && pub->dup)) die("decoded PUBLISH has bad QoS/DUP", v, &p);
    if ((pub->qos > 0) != (pub->packet_id != 0)) die("decoded PUBLISH packet id does not fit its QoS", v, &p);
    if (pub->topic.find_first_of("+#") != std::string::npos) die("decoded PUBLISH topic has a wildcard", v, &p);
    if (!is_valid_mqtt_utf8(pub->topic)) die("decoded PUBLISH topic is not valid UTF-8", v, &p);
  } else if (const auto* sub = std::get_if<subscribe>(&p)) {
    if (sub->packet_id == 0 || sub->subscriptions.empty()) die("decoded SUBSCRIBE is empty or has id 0", v, &p);
    for (const auto& r : sub->subscriptions)
      if (r.qos > 2 || r.retain_handling > 2) die("decoded SUBSCRIBE has bad options", v, &p);
  } else if (const auto* con = std::get_if<connect>(&p)) {
    if (con->will && con->will->qos > 2) die("decoded CONNECT has will QoS 3", v, &p);
  } else if (const auto* uns = std::get_if<unsubscribe>(&p)) {
    if (uns->packet_id == 0 || uns->filters.empty()) die("decoded UNSUBSCRIBE is empty or has id 0", v, &p);
  }
}

// `p` was decoded on a connection speaking `v`: encoding it for `v` and decoding that must give
// `p` back, and encoding is deterministic.
void check_round_trip(const packet& p, protocol_version v) {
  std::string wire;
  encode(p, v, wire);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(wire.data());
  frame f;
  if (parse_frame(bytes, wire.size(), f) != frame_status::complete || f.total_size() != wire.size())
    die("re-encoded packet is not exactly one frame", v, &p);
  if (f.type != static_cast<std::uint8_t>(type_of(p))) die("re-encoded packet has another type", v, &p);
  const auto again = decode_alone(f, bytes, v);
  if (!again) die("re-encoded packet does not decode", v, &p);
  if (!(again.value() == p)) die("re-decoded packet differs from the decoded one", v, &p);
  std::string wire2;
  encode(again.value(), v, wire2);
  if (wire2 != wire) die("encoding is not deterministic", v, &p);

  if (const auto* pub = std::get_if<publish>(&p)) {
    const publish_view view{pub->dup, pub->qos, pub->retain, pub->topic, pub->packet_id, &pub->props, pub->payload};
    if (publish_wire_size(view, v) != wire.size()) die("publish_wire_size disagrees with encode", v, &p);
  }
}

void feed(const std::uint8_t* data, std::size_t size, protocol_version v) {
  std::size_t pos = 0;
  while (pos < size) {
    frame f;
    const frame_status st = parse_frame(data + pos, size - pos, f);
    if (st != frame_status::complete) return;
    if (f.header_size < 2 || f.header_size > 5) die("fixed header size out of range", v);
    if (f.total_size() > size - pos) return;  // the rest of the packet has not arrived
    const auto r = decode_alone(f, data + pos, v);
    if (r) {
      check_invariants(r.value(), v);
      check_round_trip(r.value(), v);
    } else if (!allowed_failure(r.err().code)) {
      die("decode failed with an unexpected reason code", v);
    }
    pos += f.total_size();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (auto v : {protocol_version::v31, protocol_version::v311, protocol_version::v5}) feed(data, size, v);
  return 0;
}
