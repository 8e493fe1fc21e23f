#include "broker/codec/decoder.hpp"

#include "broker/codec/properties_codec.hpp"
#include "broker/codec/wire.hpp"

namespace ternmq::codec {

frame_status parse_frame(const std::uint8_t* data, std::size_t size, frame& out) {
  if (size < 2) return frame_status::need_more;
  std::uint32_t value = 0;
  for (std::size_t i = 1; i <= 4; ++i) {
    if (i >= size) return frame_status::need_more;
    const std::uint8_t b = data[i];
    value |= std::uint32_t{b & 0x7Fu} << (7 * (i - 1));
    if ((b & 0x80) == 0) {
      if (i > 1 && b == 0) return frame_status::malformed;  // overlong encoding
      out.type = data[0] >> 4;
      out.flags = data[0] & 0x0F;
      out.remaining_length = value;
      out.header_size = i + 1;
      return frame_status::complete;
    }
  }
  return frame_status::malformed;
}

namespace {

decode_error fail(reason_code code, std::string_view what, std::uint8_t level = 0) {
  return decode_error{code, what, level};
}

decode_error from_reader(const wire_reader& r, std::uint8_t level = 0) {
  return decode_error{r.failure(), r.failure_text(), level};
}

bool is_v5(protocol_version v) { return v == protocol_version::v5; }

decode_result decode_connect(wire_reader& r) {
  const std::string name = r.utf8();
  const std::uint8_t level = r.u8();
  if (!r.ok()) return from_reader(r);
  connect c;
  if (name == "MQTT" && (level == 4 || level == 5)) {
    c.version = static_cast<protocol_version>(level);
  } else if (name == "MQIsdp" && level == 3) {
    c.version = protocol_version::v31;
  } else if (name == "MQTT" || name == "MQIsdp") {
    return fail(reason_code::unsupported_protocol_version, "unsupported protocol level", level);
  } else {
    return fail(reason_code::malformed_packet, "unknown protocol name", level);
  }
  const bool v5 = is_v5(c.version);
  const std::uint8_t flags = r.u8();
  c.keep_alive = r.u16();
  if (!r.ok()) return from_reader(r, level);
  if (flags & 0x01) return fail(reason_code::malformed_packet, "reserved connect flag set", level);
  const bool will = flags & 0x04;
  const std::uint8_t will_qos = (flags >> 3) & 0x03;
  const bool will_retain = flags & 0x20;
  const bool has_password = flags & 0x40;
  const bool has_username = flags & 0x80;
  c.clean_start = flags & 0x02;
  if (!will && (will_qos != 0 || will_retain))
    return fail(reason_code::malformed_packet, "will qos or retain without will flag", level);
  if (will_qos == 3) return fail(reason_code::malformed_packet, "will qos 3", level);
  if (!v5 && has_password && !has_username)
    return fail(reason_code::malformed_packet, "password flag without user name flag", level);
  if (v5) read_properties(r, property_context::connect, c.props);
  c.client_id = r.utf8();
  if (will) {
    will_message w;
    w.qos = will_qos;
    w.retain = will_retain;
    if (v5) read_properties(r, property_context::will, w.props);
    w.topic = r.utf8();
    w.payload = r.binary();
    c.will = std::move(w);
  }
  if (has_username) c.username = r.utf8();
  if (has_password) c.password = r.binary();
  if (!r.ok()) return from_reader(r, level);
  if (r.remaining() != 0) return fail(reason_code::malformed_packet, "trailing bytes in CONNECT", level);
  return packet{std::move(c)};
}

decode_result decode_connack(wire_reader& r, protocol_version v) {
  connack c;
  const std::uint8_t flags = r.u8();
  if (flags & 0xFE) return fail(reason_code::malformed_packet, "reserved connack flags set");
  c.session_present = flags & 0x01;
  c.reason_code = r.u8();
  if (is_v5(v)) read_properties(r, property_context::connack, c.props);
  if (!r.ok()) return from_reader(r);
  if (r.remaining() != 0) return fail(reason_code::malformed_packet, "trailing bytes in CONNACK");
  return packet{std::move(c)};
}

decode_result decode_publish(wire_reader& r, std::uint8_t flags, protocol_version v) {
  publish p;
  p.dup = flags & 0x08;
  p.qos = (flags >> 1) & 0x03;
  p.retain = flags & 0x01;
  if (p.qos == 3) return fail(reason_code::malformed_packet, "publish qos 3");
  if (p.qos == 0 && p.dup) return fail(reason_code::malformed_packet, "dup flag on qos 0 publish");
  p.topic = r.utf8();
  if (p.qos > 0) {
    p.packet_id = r.u16();
    if (r.ok() && p.packet_id == 0) return fail(reason_code::malformed_packet, "packet identifier 0");
  }
  if (is_v5(v)) read_properties(r, property_context::publish, p.props);
  if (!r.ok()) return from_reader(r);
  if (p.topic.find_first_of("+#") != std::string::npos)
    return fail(reason_code::topic_name_invalid, "wildcard in publish topic");
  if (p.topic.empty() && !(is_v5(v) && p.props.topic_alias))
    return fail(is_v5(v) ? reason_code::protocol_error : reason_code::malformed_packet, "empty publish topic");
  p.payload = r.rest();
  return packet{std::move(p)};
}

template <class Ack>
decode_result decode_ack(wire_reader& r, protocol_version v, std::uint32_t remaining) {
  Ack a;
  a.packet_id = r.u16();
  if (r.ok() && a.packet_id == 0) return fail(reason_code::malformed_packet, "packet identifier 0");
  if (is_v5(v)) {
    if (remaining > 2) a.reason_code = r.u8();
    if (remaining > 3) {
      property_context ctx = property_context::puback;
      if constexpr (Ack::type == packet_type::pubrec) ctx = property_context::pubrec;
      if constexpr (Ack::type == packet_type::pubrel) ctx = property_context::pubrel;
      if constexpr (Ack::type == packet_type::pubcomp) ctx = property_context::pubcomp;
      read_properties(r, ctx, a.props);
    }
  }
  if (!r.ok()) return from_reader(r);
  if (r.remaining() != 0) return fail(reason_code::malformed_packet, "trailing bytes in acknowledgement");
  return packet{std::move(a)};
}

decode_result decode_subscribe(wire_reader& r, protocol_version v) {
  subscribe s;
  s.packet_id = r.u16();
  if (r.ok() && s.packet_id == 0) return fail(reason_code::malformed_packet, "packet identifier 0");
  if (is_v5(v)) read_properties(r, property_context::subscribe, s.props);
  if (!r.ok()) return from_reader(r);
  if (r.remaining() == 0)
    return fail(is_v5(v) ? reason_code::protocol_error : reason_code::malformed_packet, "SUBSCRIBE without topic filters");
  while (r.ok() && r.remaining() > 0) {
    subscription_request req;
    req.filter = r.utf8();
    const std::uint8_t opts = r.u8();
    if (!r.ok()) break;
    req.qos = opts & 0x03;
    if (req.qos == 3) return fail(reason_code::malformed_packet, "subscription qos 3");
    if (is_v5(v)) {
      if (opts & 0xC0) return fail(reason_code::malformed_packet, "reserved subscription option bits set");
      req.no_local = opts & 0x04;
      req.retain_as_published = opts & 0x08;
      req.retain_handling = (opts >> 4) & 0x03;
      if (req.retain_handling == 3) return fail(reason_code::protocol_error, "retain handling 3");
    } else if (opts & 0xFC) {
      return fail(reason_code::malformed_packet, "reserved subscription option bits set");
    }
    s.subscriptions.push_back(std::move(req));
  }
  if (!r.ok()) return from_reader(r);
  return packet{std::move(s)};
}

decode_result decode_suback(wire_reader& r, protocol_version v) {
  suback s;
  s.packet_id = r.u16();
  if (is_v5(v)) read_properties(r, property_context::suback, s.props);
  while (r.ok() && r.remaining() > 0) s.reason_codes.push_back(r.u8());
  if (!r.ok()) return from_reader(r);
  return packet{std::move(s)};
}

decode_result decode_unsubscribe(wire_reader& r, protocol_version v) {
  unsubscribe u;
  u.packet_id = r.u16();
  if (r.ok() && u.packet_id == 0) return fail(reason_code::malformed_packet, "packet identifier 0");
  if (is_v5(v)) read_properties(r, property_context::unsubscribe, u.props);
  if (!r.ok()) return from_reader(r);
  if (r.remaining() == 0)
    return fail(is_v5(v) ? reason_code::protocol_error : reason_code::malformed_packet, "UNSUBSCRIBE without topic filters");
  while (r.ok() && r.remaining() > 0) u.filters.push_back(r.utf8());
  if (!r.ok()) return from_reader(r);
  return packet{std::move(u)};
}

decode_result decode_unsuback(wire_reader& r, protocol_version v) {
  unsuback u;
  u.packet_id = r.u16();
  if (is_v5(v)) {
    read_properties(r, property_context::unsuback, u.props);
    while (r.ok() && r.remaining() > 0) u.reason_codes.push_back(r.u8());
  }
  if (!r.ok()) return from_reader(r);
  if (r.remaining() != 0) return fail(reason_code::malformed_packet, "trailing bytes in UNSUBACK");
  return packet{std::move(u)};
}

template <class P>
decode_result decode_reason_only(wire_reader& r, protocol_version v, property_context ctx) {
  P p;
  if (is_v5(v) && r.remaining() > 0) {
    p.reason_code = r.u8();
    if (r.remaining() > 0) read_properties(r, ctx, p.props);
  }
  if (!r.ok()) return from_reader(r);
  if (r.remaining() != 0) return fail(reason_code::malformed_packet, "trailing bytes");
  return packet{std::move(p)};
}

}  // namespace

decode_result decode_packet(const frame& f, const std::uint8_t* body, protocol_version version) {
  wire_reader r(body, f.remaining_length);
  const auto type = static_cast<packet_type>(f.type);
  // Fixed-header flags are fixed for every type but PUBLISH (MQTT-2.2.2-1, -2).
  std::uint8_t required_flags = 0;
  switch (type) {
    case packet_type::publish: required_flags = f.flags; break;
    case packet_type::pubrel:
    case packet_type::subscribe:
    case packet_type::unsubscribe: required_flags = 0x02; break;
    default: break;
  }
  if (f.type == 0) return fail(reason_code::malformed_packet, "reserved packet type 0");
  // MQTT 3.1 sets DUP on a re-sent PUBREL, SUBSCRIBE or UNSUBSCRIBE (3.1 section 2.1); 3.1.1 fixed
  // these flags. A 3.1 client retrying a subscription is not malformed (mosquitto agrees).
  const bool v31_retry = version == protocol_version::v31 && required_flags == 0x02 && f.flags == 0x0A;
  if (f.flags != required_flags && !v31_retry) return fail(reason_code::malformed_packet, "reserved fixed header flags");
  switch (type) {
    case packet_type::connect: return decode_connect(r);
    case packet_type::connack: return decode_connack(r, version);
    case packet_type::publish: return decode_publish(r, f.flags, version);
    case packet_type::puback: return decode_ack<puback>(r, version, f.remaining_length);
    case packet_type::pubrec: return decode_ack<pubrec>(r, version, f.remaining_length);
    case packet_type::pubrel: return decode_ack<pubrel>(r, version, f.remaining_length);
    case packet_type::pubcomp: return decode_ack<pubcomp>(r, version, f.remaining_length);
    case packet_type::subscribe: return decode_subscribe(r, version);
    case packet_type::suback: return decode_suback(r, version);
    case packet_type::unsubscribe: return decode_unsubscribe(r, version);
    case packet_type::unsuback: return decode_unsuback(r, version);
    case packet_type::pingreq:
      if (f.remaining_length != 0) return fail(reason_code::malformed_packet, "PINGREQ with a body");
      return packet{pingreq{}};
    case packet_type::pingresp:
      if (f.remaining_length != 0) return fail(reason_code::malformed_packet, "PINGRESP with a body");
      return packet{pingresp{}};
    case packet_type::disconnect:
      return decode_reason_only<disconnect>(r, version, property_context::disconnect);
    case packet_type::auth:
      if (!is_v5(version)) return fail(reason_code::malformed_packet, "AUTH before MQTT 5.0");
      return decode_reason_only<auth>(r, version, property_context::auth);
  }
  return fail(reason_code::malformed_packet, "unknown packet type");
}

}  // namespace ternmq::codec
