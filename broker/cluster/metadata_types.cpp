// Byte forms of the replicated maps' keys and values; see metadata_types.hpp.
#include "broker/cluster/metadata_types.hpp"

#include "broker/cluster/codec_fields.hpp"
#include "broker/cluster/wire.hpp"
#include "broker/codec/wire.hpp"

namespace ternmq::cluster {
namespace {

constexpr std::size_t k_max_nodename = 255;

// Runs `read` over all of `bytes`, which it must consume exactly.
template <class T, class Read>
core::result<T> read_all(std::string_view bytes, Read read) {
  wire_reader r(bytes);
  T out = read(r);
  r.expect_end();
  if (!r.ok()) return r.error();
  return out;
}

core::error key_error(const char* what) { return make_error(errc::invalid_value, what); }

}  // namespace

bool is_valid_nodename(std::string_view name) {
  return !name.empty() && name.size() <= k_max_nodename && codec::is_valid_mqtt_utf8(name);
}

bool is_valid_cluster_address(std::string_view address) {
  const auto colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view host = address.substr(0, colon);
  const std::string_view port = address.substr(colon + 1);
  if (port.empty() || port.size() > 5) return false;
  unsigned value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return false;
  // A bare IPv6 address needs brackets, or its last group would read as the port.
  if (host.find(':') != std::string_view::npos && (host.front() != '[' || host.back() != ']')) return false;
  return host.size() <= 255 && codec::is_valid_mqtt_utf8(host);
}

const char* to_string(member_state s) {
  switch (s) {
    case member_state::joined: return "joined";
    case member_state::leaving: return "leaving";
    case member_state::left: return "left";
  }
  return "unknown";
}

// --- membership --------------------------------------------------------------------------------

metadata_key member_key(std::string_view nodename) { return metadata_key{"", std::string(nodename)}; }

std::string encode_value(const member_value& v) {
  std::string out;
  wire_writer w(out);
  w.text(v.address);
  w.u8(static_cast<std::uint8_t>(v.state));
  return out;
}

core::result<std::string> decode_member_key(const metadata_key& key) {
  if (!key.owner.empty()) return key_error("membership key with an owner");
  if (!is_valid_nodename(key.name)) return key_error("membership key is not a node name");
  return key.name;
}

core::result<member_value> decode_member_value(std::string_view bytes) {
  return read_all<member_value>(bytes, [](wire_reader& r) {
    member_value v;
    v.address = r.text();
    if (r.ok() && !is_valid_cluster_address(v.address)) r.fail(errc::invalid_value, "invalid cluster address");
    const std::uint8_t state = r.u8();
    if (state < 1 || state > 3) r.fail(errc::invalid_value, "unknown member state");
    v.state = static_cast<member_state>(state);
    return v;
  });
}

// --- subscriptions -----------------------------------------------------------------------------

metadata_key encode_key(const subscription_key& k) {
  metadata_key key{k.node, {}};
  wire_writer w(key.name);
  w.text(k.mountpoint);
  w.text(k.client_id);
  w.text(k.filter);
  return key;
}

std::string encode_value(const subscription_value& v) {
  std::string out;
  wire_writer w(out);
  w.u8(v.qos);
  w.flag(v.no_local);
  w.flag(v.retain_as_published);
  w.u32(v.identifier);
  return out;
}

core::result<subscription_key> decode_subscription_key(const metadata_key& key) {
  if (!is_valid_nodename(key.owner)) return key_error("subscription key without a valid owner node");
  auto parts = read_all<subscription_key>(key.name, [](wire_reader& r) {
    subscription_key k;
    k.mountpoint = r.text();
    k.client_id = r.text();
    k.filter = fields::get_topic_filter(r);
    return k;
  });
  if (parts) parts->node = key.owner;
  return parts;
}

core::result<subscription_value> decode_subscription_value(std::string_view bytes) {
  return read_all<subscription_value>(bytes, [](wire_reader& r) {
    subscription_value v;
    v.qos = fields::get_qos(r);
    v.no_local = r.flag();
    v.retain_as_published = r.flag();
    v.identifier = r.u32();
    // MQTT 5.0 section 3.8.2.1.2: 1 to 268,435,455.
    if (v.identifier > 268'435'455) r.fail(errc::invalid_value, "subscription identifier out of range");
    return v;
  });
}

// --- retained messages -------------------------------------------------------------------------

metadata_key encode_key(const retained_key& k) {
  metadata_key key;
  wire_writer w(key.name);
  w.text(k.mountpoint);
  w.text(k.topic);
  return key;
}

std::string encode_value(const retained_value& v) {
  std::string out;
  wire_writer w(out);
  w.u8(v.qos);
  fields::put_properties(w, v.props);
  w.flag(v.expires_at_ms.has_value());
  if (v.expires_at_ms) w.u64(*v.expires_at_ms);
  w.bytes32(v.payload);
  return out;
}

core::result<retained_key> decode_retained_key(const metadata_key& key) {
  if (!key.owner.empty()) return key_error("retained key with an owner");
  return read_all<retained_key>(key.name, [](wire_reader& r) {
    retained_key k;
    k.mountpoint = r.text();
    k.topic = fields::get_topic_name(r);
    return k;
  });
}

core::result<retained_value> decode_retained_value(std::string_view bytes) {
  return read_all<retained_value>(bytes, [](wire_reader& r) {
    retained_value v;
    v.qos = fields::get_qos(r);
    v.props = fields::get_properties(r);
    if (r.flag()) v.expires_at_ms = r.u64();
    v.payload = r.bytes32();
    return v;
  });
}

// --- validation --------------------------------------------------------------------------------

std::optional<core::error> check_entry(map_id map, const metadata_entry& e) {
  const auto problem = [](const auto& decoded) -> std::optional<core::error> {
    if (decoded) return std::nullopt;
    return decoded.err();
  };
  if (!is_valid_nodename(e.stamp.node)) return key_error("entry stamped without a valid node name");
  std::optional<core::error> bad;
  switch (map) {
    case map_id::membership:
      bad = problem(decode_member_key(e.key));
      if (!bad && e.value) bad = problem(decode_member_value(*e.value));
      break;
    case map_id::subscriptions:
      bad = problem(decode_subscription_key(e.key));
      if (!bad && e.value) bad = problem(decode_subscription_value(*e.value));
      break;
    case map_id::retained:
      bad = problem(decode_retained_key(e.key));
      if (!bad && e.value) bad = problem(decode_retained_value(*e.value));
      break;
  }
  return bad;
}

}  // namespace ternmq::cluster
