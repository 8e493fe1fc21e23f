#include "broker/codec/encoder.hpp"

#include "broker/codec/properties_codec.hpp"
#include "broker/codec/wire.hpp"

namespace ternmq::codec {
namespace {

bool is_v5(protocol_version v) { return v == protocol_version::v5; }

void finish(std::uint8_t first_byte, const std::string& body, std::string& out) {
  wire_writer w(out);
  w.u8(first_byte);
  w.varint(static_cast<std::uint32_t>(body.size()));
  w.raw(body);
}

std::uint8_t first(packet_type t, std::uint8_t flags = 0) {
  return static_cast<std::uint8_t>((static_cast<unsigned>(t) << 4) | flags);
}

void encode_connect(const connect& c, std::string& out) {
  std::string body;
  wire_writer w(body);
  if (c.version == protocol_version::v31) {
    w.utf8("MQIsdp");
  } else {
    w.utf8("MQTT");
  }
  w.u8(static_cast<std::uint8_t>(c.version));
  std::uint8_t flags = 0;
  if (c.clean_start) flags |= 0x02;
  if (c.will) {
    flags |= 0x04;
    flags |= static_cast<std::uint8_t>(c.will->qos << 3);
    if (c.will->retain) flags |= 0x20;
  }
  if (c.password) flags |= 0x40;
  if (c.username) flags |= 0x80;
  w.u8(flags);
  w.u16(c.keep_alive);
  const bool v5 = is_v5(c.version);
  if (v5) write_properties(w, c.props);
  w.utf8(c.client_id);
  if (c.will) {
    if (v5) write_properties(w, c.will->props);
    w.utf8(c.will->topic);
    w.binary(c.will->payload);
  }
  if (c.username) w.utf8(*c.username);
  if (c.password) w.binary(*c.password);
  finish(first(packet_type::connect), body, out);
}

template <class Ack>
void encode_ack(const Ack& a, protocol_version v, std::string& out) {
  std::string body;
  wire_writer w(body);
  w.u16(a.packet_id);
  const bool has_props = a.props != properties{};
  if (is_v5(v) && (a.reason_code != 0 || has_props)) {
    w.u8(a.reason_code);
    if (has_props) write_properties(w, a.props);
  }
  finish(first(Ack::type, Ack::type == packet_type::pubrel ? 0x02 : 0), body, out);
}

// DISCONNECT and AUTH: both are empty for reason 0x00 without properties. DISCONNECT may
// also stop after the reason code (MQTT 5.0 3.14.2.2); AUTH always carries its property
// length once a reason code is present (3.15.2.2).
template <class P>
void encode_reason_only(const P& p, packet_type t, protocol_version v, std::string& out) {
  std::string body;
  wire_writer w(body);
  const bool has_props = p.props != properties{};
  if (is_v5(v) && (p.reason_code != 0 || has_props)) {
    w.u8(p.reason_code);
    if (has_props || t == packet_type::auth) write_properties(w, p.props);
  }
  finish(first(t), body, out);
}

}  // namespace

void encode_publish(const publish_view& p, protocol_version version, std::string& out) {
  wire_writer w(out);
  std::uint8_t flags = static_cast<std::uint8_t>(p.qos << 1);
  if (p.dup) flags |= 0x08;
  if (p.retain) flags |= 0x01;
  std::size_t props_size = 0;
  static const properties k_none{};
  const properties& props = p.props ? *p.props : k_none;
  if (is_v5(version)) props_size = properties_wire_size(props);
  const std::size_t remaining = 2 + p.topic.size() + (p.qos ? 2 : 0) + props_size + p.payload.size();
  w.u8(first(packet_type::publish, flags));
  w.varint(static_cast<std::uint32_t>(remaining));
  w.utf8(p.topic);
  if (p.qos) w.u16(p.packet_id);
  if (is_v5(version)) write_properties(w, props);
  w.raw(p.payload);
}

std::size_t publish_wire_size(const publish_view& p, protocol_version version) {
  std::size_t remaining = 2 + p.topic.size() + (p.qos ? 2 : 0) + p.payload.size();
  if (is_v5(version)) remaining += p.props ? properties_wire_size(*p.props) : 1;
  return 1 + varint_size(static_cast<std::uint32_t>(remaining)) + remaining;
}

void encode(const packet& pkt, protocol_version v, std::string& out) {
  std::visit(
      [&](const auto& p) {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, connect>) {
          encode_connect(p, out);
        } else if constexpr (std::is_same_v<T, connack>) {
          std::string body;
          wire_writer w(body);
          w.u8(p.session_present ? 1 : 0);
          w.u8(p.reason_code);
          if (is_v5(v)) write_properties(w, p.props);
          finish(first(packet_type::connack), body, out);
        } else if constexpr (std::is_same_v<T, publish>) {
          encode_publish(publish_view{p.dup, p.qos, p.retain, p.topic, p.packet_id, &p.props, p.payload}, v, out);
        } else if constexpr (std::is_same_v<T, puback> || std::is_same_v<T, pubrec> ||
                             std::is_same_v<T, pubrel> || std::is_same_v<T, pubcomp>) {
          encode_ack(p, v, out);
        } else if constexpr (std::is_same_v<T, subscribe>) {
          std::string body;
          wire_writer w(body);
          w.u16(p.packet_id);
          if (is_v5(v)) write_properties(w, p.props);
          for (const auto& s : p.subscriptions) {
            w.utf8(s.filter);
            std::uint8_t o = s.qos;
            if (is_v5(v)) {
              if (s.no_local) o |= 0x04;
              if (s.retain_as_published) o |= 0x08;
              o |= static_cast<std::uint8_t>(s.retain_handling << 4);
            }
            w.u8(o);
          }
          finish(first(packet_type::subscribe, 0x02), body, out);
        } else if constexpr (std::is_same_v<T, suback>) {
          std::string body;
          wire_writer w(body);
          w.u16(p.packet_id);
          if (is_v5(v)) write_properties(w, p.props);
          for (auto c : p.reason_codes) w.u8(c);
          finish(first(packet_type::suback), body, out);
        } else if constexpr (std::is_same_v<T, unsubscribe>) {
          std::string body;
          wire_writer w(body);
          w.u16(p.packet_id);
          if (is_v5(v)) write_properties(w, p.props);
          for (const auto& f : p.filters) w.utf8(f);
          finish(first(packet_type::unsubscribe, 0x02), body, out);
        } else if constexpr (std::is_same_v<T, unsuback>) {
          std::string body;
          wire_writer w(body);
          w.u16(p.packet_id);
          if (is_v5(v)) {
            write_properties(w, p.props);
            for (auto c : p.reason_codes) w.u8(c);
          }
          finish(first(packet_type::unsuback), body, out);
        } else if constexpr (std::is_same_v<T, pingreq>) {
          finish(first(packet_type::pingreq), {}, out);
        } else if constexpr (std::is_same_v<T, pingresp>) {
          finish(first(packet_type::pingresp), {}, out);
        } else if constexpr (std::is_same_v<T, disconnect>) {
          encode_reason_only(p, packet_type::disconnect, v, out);
        } else if constexpr (std::is_same_v<T, auth>) {
          encode_reason_only(p, packet_type::auth, v, out);
        }
      },
      pkt);
}

}  // namespace ternmq::codec
