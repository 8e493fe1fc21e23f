#include "broker/codec/properties_codec.hpp"

#include <bitset>

namespace ternmq::codec {
namespace {

using ctx = property_context;

constexpr unsigned bit(ctx c) { return 1u << static_cast<unsigned>(c); }

unsigned allowed_mask(property_id id) {
  const unsigned msg = bit(ctx::publish) | bit(ctx::will);
  const unsigned acks = bit(ctx::puback) | bit(ctx::pubrec) | bit(ctx::pubrel) | bit(ctx::pubcomp) |
                        bit(ctx::suback) | bit(ctx::unsuback);
  switch (id) {
    case property_id::payload_format_indicator:
    case property_id::message_expiry_interval:
    case property_id::content_type:
    case property_id::response_topic:
    case property_id::correlation_data: return msg;
    case property_id::subscription_identifier: return bit(ctx::publish) | bit(ctx::subscribe);
    case property_id::session_expiry_interval:
      return bit(ctx::connect) | bit(ctx::connack) | bit(ctx::disconnect);
    case property_id::assigned_client_identifier:
    case property_id::server_keep_alive:
    case property_id::response_information:
    case property_id::maximum_qos:
    case property_id::retain_available:
    case property_id::wildcard_subscription_available:
    case property_id::subscription_identifier_available:
    case property_id::shared_subscription_available: return bit(ctx::connack);
    case property_id::authentication_method:
    case property_id::authentication_data: return bit(ctx::connect) | bit(ctx::connack) | bit(ctx::auth);
    case property_id::request_problem_information:
    case property_id::request_response_information: return bit(ctx::connect);
    case property_id::will_delay_interval: return bit(ctx::will);
    case property_id::server_reference: return bit(ctx::connack) | bit(ctx::disconnect);
    case property_id::reason_string:
      return bit(ctx::connack) | acks | bit(ctx::disconnect) | bit(ctx::auth);
    case property_id::receive_maximum:
    case property_id::topic_alias_maximum:
    case property_id::maximum_packet_size: return bit(ctx::connect) | bit(ctx::connack);
    case property_id::topic_alias: return bit(ctx::publish);
    case property_id::user_property: return ~0u;
  }
  return 0;
}

bool known(std::uint32_t id) {
  switch (id) {
    case 0x01: case 0x02: case 0x03: case 0x08: case 0x09: case 0x0B: case 0x11: case 0x12:
    case 0x13: case 0x15: case 0x16: case 0x17: case 0x18: case 0x19: case 0x1A: case 0x1C:
    case 0x1F: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: case 0x27:
    case 0x28: case 0x29: case 0x2A: return true;
    default: return false;
  }
}

template <class T>
void set_once(wire_reader& in, std::optional<T>& slot, T value) {
  if (slot) {
    in.fail(reason_code::protocol_error, "property included more than once");
    return;
  }
  slot = std::move(value);
}

void read_byte_flag(wire_reader& in, std::optional<std::uint8_t>& slot, std::uint8_t max) {
  const std::uint8_t v = in.u8();
  if (v > max) {
    in.fail(reason_code::protocol_error, "property value out of range");
    return;
  }
  set_once(in, slot, v);
}

}  // namespace

bool allowed_in(property_id id, property_context c) { return (allowed_mask(id) & bit(c)) != 0; }

void read_properties(wire_reader& in, property_context c, properties& out) {
  const std::uint32_t length = in.varint();
  if (!in.ok()) return;
  if (length > in.remaining()) {
    in.fail(reason_code::malformed_packet, "property length exceeds packet");
    return;
  }
  wire_reader r = in.take(length);
  while (r.ok() && r.remaining() > 0) {
    const std::uint32_t raw = r.varint();
    if (!r.ok()) break;
    if (!known(raw) || !allowed_in(static_cast<property_id>(raw), c)) {
      r.fail(reason_code::malformed_packet, "property not allowed in this packet");
      break;
    }
    switch (static_cast<property_id>(raw)) {
      case property_id::payload_format_indicator: read_byte_flag(r, out.payload_format_indicator, 1); break;
      case property_id::message_expiry_interval: set_once(r, out.message_expiry_interval, r.u32()); break;
      case property_id::content_type: set_once(r, out.content_type, r.utf8()); break;
      case property_id::response_topic: set_once(r, out.response_topic, r.utf8()); break;
      case property_id::correlation_data: set_once(r, out.correlation_data, r.binary()); break;
      case property_id::subscription_identifier: {
        const std::uint32_t v = r.varint();
        if (r.ok() && v == 0) r.fail(reason_code::protocol_error, "subscription identifier 0");
        if (c == ctx::subscribe && !out.subscription_identifiers.empty())
          r.fail(reason_code::protocol_error, "property included more than once");
        out.subscription_identifiers.push_back(v);
        break;
      }
      case property_id::session_expiry_interval: set_once(r, out.session_expiry_interval, r.u32()); break;
      case property_id::assigned_client_identifier: set_once(r, out.assigned_client_identifier, r.utf8()); break;
      case property_id::server_keep_alive: set_once(r, out.server_keep_alive, r.u16()); break;
      case property_id::authentication_method: set_once(r, out.authentication_method, r.utf8()); break;
      case property_id::authentication_data: set_once(r, out.authentication_data, r.binary()); break;
      case property_id::request_problem_information: read_byte_flag(r, out.request_problem_information, 1); break;
      case property_id::will_delay_interval: set_once(r, out.will_delay_interval, r.u32()); break;
      case property_id::request_response_information: read_byte_flag(r, out.request_response_information, 1); break;
      case property_id::response_information: set_once(r, out.response_information, r.utf8()); break;
      case property_id::server_reference: set_once(r, out.server_reference, r.utf8()); break;
      case property_id::reason_string: set_once(r, out.reason_string, r.utf8()); break;
      case property_id::receive_maximum: {
        const std::uint16_t v = r.u16();
        if (r.ok() && v == 0) r.fail(reason_code::protocol_error, "receive maximum 0");
        set_once(r, out.receive_maximum, v);
        break;
      }
      case property_id::topic_alias_maximum: set_once(r, out.topic_alias_maximum, r.u16()); break;
      case property_id::topic_alias: set_once(r, out.topic_alias, r.u16()); break;
      case property_id::maximum_qos: read_byte_flag(r, out.maximum_qos, 1); break;
      case property_id::retain_available: read_byte_flag(r, out.retain_available, 1); break;
      case property_id::user_property: {
        std::string k = r.utf8();
        std::string v = r.utf8();
        out.user.emplace_back(std::move(k), std::move(v));
        break;
      }
      case property_id::maximum_packet_size: {
        const std::uint32_t v = r.u32();
        if (r.ok() && v == 0) r.fail(reason_code::protocol_error, "maximum packet size 0");
        set_once(r, out.maximum_packet_size, v);
        break;
      }
      case property_id::wildcard_subscription_available: read_byte_flag(r, out.wildcard_subscription_available, 1); break;
      case property_id::subscription_identifier_available: read_byte_flag(r, out.subscription_identifier_available, 1); break;
      case property_id::shared_subscription_available: read_byte_flag(r, out.shared_subscription_available, 1); break;
    }
  }
  if (!r.ok()) in.fail(r.failure(), r.failure_text());
}

namespace {

void write_body(wire_writer& w, const properties& p) {
  auto id = [&](property_id i) { w.u8(static_cast<std::uint8_t>(i)); };
  if (p.payload_format_indicator) { id(property_id::payload_format_indicator); w.u8(*p.payload_format_indicator); }
  if (p.message_expiry_interval) { id(property_id::message_expiry_interval); w.u32(*p.message_expiry_interval); }
  if (p.content_type) { id(property_id::content_type); w.utf8(*p.content_type); }
  if (p.response_topic) { id(property_id::response_topic); w.utf8(*p.response_topic); }
  if (p.correlation_data) { id(property_id::correlation_data); w.binary(*p.correlation_data); }
  for (std::uint32_t s : p.subscription_identifiers) { id(property_id::subscription_identifier); w.varint(s); }
  if (p.session_expiry_interval) { id(property_id::session_expiry_interval); w.u32(*p.session_expiry_interval); }
  if (p.assigned_client_identifier) { id(property_id::assigned_client_identifier); w.utf8(*p.assigned_client_identifier); }
  if (p.server_keep_alive) { id(property_id::server_keep_alive); w.u16(*p.server_keep_alive); }
  if (p.authentication_method) { id(property_id::authentication_method); w.utf8(*p.authentication_method); }
  if (p.authentication_data) { id(property_id::authentication_data); w.binary(*p.authentication_data); }
  if (p.request_problem_information) { id(property_id::request_problem_information); w.u8(*p.request_problem_information); }
  if (p.will_delay_interval) { id(property_id::will_delay_interval); w.u32(*p.will_delay_interval); }
  if (p.request_response_information) { id(property_id::request_response_information); w.u8(*p.request_response_information); }
  if (p.response_information) { id(property_id::response_information); w.utf8(*p.response_information); }
  if (p.server_reference) { id(property_id::server_reference); w.utf8(*p.server_reference); }
  if (p.reason_string) { id(property_id::reason_string); w.utf8(*p.reason_string); }
  if (p.receive_maximum) { id(property_id::receive_maximum); w.u16(*p.receive_maximum); }
  if (p.topic_alias_maximum) { id(property_id::topic_alias_maximum); w.u16(*p.topic_alias_maximum); }
  if (p.topic_alias) { id(property_id::topic_alias); w.u16(*p.topic_alias); }
  if (p.maximum_qos) { id(property_id::maximum_qos); w.u8(*p.maximum_qos); }
  if (p.retain_available) { id(property_id::retain_available); w.u8(*p.retain_available); }
  for (const auto& [k, v] : p.user) { id(property_id::user_property); w.utf8(k); w.utf8(v); }
  if (p.maximum_packet_size) { id(property_id::maximum_packet_size); w.u32(*p.maximum_packet_size); }
  if (p.wildcard_subscription_available) { id(property_id::wildcard_subscription_available); w.u8(*p.wildcard_subscription_available); }
  if (p.subscription_identifier_available) { id(property_id::subscription_identifier_available); w.u8(*p.subscription_identifier_available); }
  if (p.shared_subscription_available) { id(property_id::shared_subscription_available); w.u8(*p.shared_subscription_available); }
}

}  // namespace

void write_properties(wire_writer& out, const properties& props) {
  std::string body;
  wire_writer w(body);
  write_body(w, props);
  out.varint(static_cast<std::uint32_t>(body.size()));
  out.raw(body);
}

std::size_t properties_wire_size(const properties& props) {
  std::string body;
  wire_writer w(body);
  write_body(w, props);
  return varint_size(static_cast<std::uint32_t>(body.size())) + body.size();
}

}  // namespace ternmq::codec
