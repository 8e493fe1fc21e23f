// Shared field groups of the cluster codec; see codec_fields.hpp.
#include "broker/cluster/codec_fields.hpp"

#include "broker/cluster/metadata_types.hpp"
#include "broker/topic/topic.hpp"

namespace ternmq::cluster::fields {
namespace {

// Presence bits of the optional message properties, in wire order.
constexpr std::uint8_t k_has_payload_format = 0x01;
constexpr std::uint8_t k_has_message_expiry = 0x02;
constexpr std::uint8_t k_has_content_type = 0x04;
constexpr std::uint8_t k_has_response_topic = 0x08;
constexpr std::uint8_t k_has_correlation_data = 0x10;
constexpr std::uint8_t k_known_property_bits = 0x1F;

// Smallest user property on the wire: two empty texts.
constexpr std::size_t k_min_user_property_size = 4;

}  // namespace

std::string get_nodename(wire_reader& r) {
  std::string name = r.text();
  if (r.ok() && !is_valid_nodename(name)) r.fail(errc::invalid_value, "invalid node name");
  return name;
}

std::uint8_t get_qos(wire_reader& r) {
  const std::uint8_t qos = r.u8();
  if (qos > 2) r.fail(errc::invalid_value, "QoS above 2");
  return qos;
}

std::string get_topic_name(wire_reader& r) {
  std::string name = r.text();
  if (r.ok() && !topic::is_valid_name(name)) r.fail(errc::invalid_value, "invalid topic name");
  return name;
}

std::string get_topic_filter(wire_reader& r) {
  std::string filter = r.text();
  if (!r.ok()) return filter;
  const bool valid = topic::is_shared(filter) ? topic::parse_shared(filter).has_value() : topic::is_valid_filter(filter);
  if (!valid) r.fail(errc::invalid_value, "invalid topic filter");
  return filter;
}

void put_stamp(wire_writer& w, const hlc_timestamp& t) {
  w.u64(t.physical_ms);
  w.u32(t.counter);
  w.text(t.node);
}

hlc_timestamp get_stamp(wire_reader& r) {
  hlc_timestamp t;
  t.physical_ms = r.u64();
  t.counter = r.u32();
  t.node = get_nodename(r);
  return t;
}

void put_properties(wire_writer& w, const message_properties& p) {
  std::uint8_t bits = 0;
  if (p.payload_format) bits |= k_has_payload_format;
  if (p.message_expiry) bits |= k_has_message_expiry;
  if (p.content_type) bits |= k_has_content_type;
  if (p.response_topic) bits |= k_has_response_topic;
  if (p.correlation_data) bits |= k_has_correlation_data;
  w.u8(bits);
  if (p.payload_format) w.u8(*p.payload_format);
  if (p.message_expiry) w.u32(*p.message_expiry);
  if (p.content_type) w.text(*p.content_type);
  if (p.response_topic) w.text(*p.response_topic);
  if (p.correlation_data) w.bytes16(*p.correlation_data);
  w.count(p.user.size());
  for (const auto& [name, value] : p.user) {
    w.text(name);
    w.text(value);
  }
}

message_properties get_properties(wire_reader& r) {
  message_properties p;
  const std::uint8_t bits = r.u8();
  if (bits & ~k_known_property_bits) r.fail(errc::invalid_value, "unknown message property bit");
  if (bits & k_has_payload_format) {
    p.payload_format = r.u8();
    if (*p.payload_format > 1) r.fail(errc::invalid_value, "payload format indicator above 1");
  }
  if (bits & k_has_message_expiry) p.message_expiry = r.u32();
  if (bits & k_has_content_type) p.content_type = r.text();
  if (bits & k_has_response_topic) p.response_topic = get_topic_name(r);
  if (bits & k_has_correlation_data) p.correlation_data = r.bytes16();
  const std::uint32_t n = r.count(k_min_user_property_size);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    std::string name = r.text();
    std::string value = r.text();
    p.user.emplace_back(std::move(name), std::move(value));
  }
  return p;
}

void put_app_message(wire_writer& w, const app_message& m) {
  w.text(m.topic);
  w.u8(m.qos);
  w.flag(m.retain);
  put_properties(w, m.props);
  w.bytes32(m.payload);
}

app_message get_app_message(wire_reader& r) {
  app_message m;
  m.topic = get_topic_name(r);
  m.qos = get_qos(r);
  m.retain = r.flag();
  m.props = get_properties(r);
  m.payload = r.bytes32();
  return m;
}

}  // namespace ternmq::cluster::fields
