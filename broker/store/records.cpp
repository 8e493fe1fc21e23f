#include "broker/store/records.hpp"

#include "broker/codec/properties_codec.hpp"
#include "broker/codec/wire.hpp"

namespace ternmq::store {
namespace {

constexpr std::uint8_t k_version = 1;

std::int64_t to_wall_ms(const std::optional<session::clock::time_point>& t) {
  if (!t) return 0;
  const auto left = *t - session::clock::now();
  const auto wall = std::chrono::system_clock::now() + std::chrono::duration_cast<std::chrono::system_clock::duration>(left);
  return std::chrono::duration_cast<std::chrono::milliseconds>(wall.time_since_epoch()).count();
}

std::optional<session::clock::time_point> from_wall_ms(std::int64_t ms) {
  if (ms == 0) return std::nullopt;
  const auto wall = std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
  const auto left = wall - std::chrono::system_clock::now();
  return session::clock::now() + std::chrono::duration_cast<session::clock::duration>(left);
}

void put_u64(codec::wire_writer& w, std::uint64_t v) {
  w.u32(static_cast<std::uint32_t>(v >> 32));
  w.u32(static_cast<std::uint32_t>(v & 0xFFFFFFFF));
}

std::uint64_t get_u64(codec::wire_reader& r) {
  const std::uint64_t hi = r.u32();
  return (hi << 32) | r.u32();
}

}  // namespace

std::string retained_key(std::string_view topic) { return std::string(k_retained_prefix).append(topic); }
std::string session_key(std::string_view client_id) { return std::string(k_session_prefix).append(client_id); }

std::string queue_prefix(std::string_view client_id) {
  std::string k(k_queue_prefix);
  k.append(client_id);
  k.push_back('\0');  // client ids never hold U+0000 (MQTT-1.5.4-2), so the prefix is unambiguous
  return k;
}

std::string queue_key(std::string_view client_id, std::uint64_t seq) {
  std::string k = queue_prefix(client_id);
  for (int shift = 56; shift >= 0; shift -= 8) k.push_back(static_cast<char>((seq >> shift) & 0xFF));
  return k;
}

std::optional<std::pair<std::string, std::uint64_t>> parse_queue_key(std::string_view key) {
  if (!key.starts_with(k_queue_prefix) || key.size() < k_queue_prefix.size() + 9) return std::nullopt;
  const std::size_t nul = key.size() - 9;
  if (key[nul] != '\0') return std::nullopt;
  std::uint64_t seq = 0;
  for (std::size_t i = nul + 1; i < key.size(); ++i) seq = (seq << 8) | static_cast<std::uint8_t>(key[i]);
  return std::make_pair(std::string(key.substr(k_queue_prefix.size(), nul - k_queue_prefix.size())), seq);
}

std::string encode_message(const session::message& m, std::uint8_t qos, bool retain,
                           const std::vector<std::uint32_t>& subscription_ids, std::uint16_t packet_id,
                           bool released) {
  std::string out;
  codec::wire_writer w(out);
  w.u8(k_version);
  w.u8(static_cast<std::uint8_t>(qos | (retain ? 0x04 : 0) | (released ? 0x08 : 0) | (m.retain ? 0x10 : 0) |
                                 (m.qos << 5)));
  w.u16(packet_id);
  put_u64(w, static_cast<std::uint64_t>(to_wall_ms(m.expires_at)));
  put_u64(w, m.publisher);
  w.utf8(m.topic);
  codec::properties props = m.props;
  props.subscription_identifiers = subscription_ids;
  codec::write_properties(w, props);
  w.u32(static_cast<std::uint32_t>(m.payload.size()));
  w.raw(m.payload);
  return out;
}

std::optional<stored_message> decode_message(std::string_view bytes) {
  codec::wire_reader r(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  if (r.u8() != k_version) return std::nullopt;
  const std::uint8_t flags = r.u8();
  stored_message s;
  s.qos = flags & 0x03;
  s.retain = flags & 0x04;
  s.released = flags & 0x08;
  s.packet_id = r.u16();
  auto m = std::make_shared<session::message>();
  m->retain = flags & 0x10;
  m->qos = static_cast<std::uint8_t>((flags >> 5) & 0x03);
  const auto expires = static_cast<std::int64_t>(get_u64(r));
  m->publisher = get_u64(r);
  m->topic = r.utf8();
  codec::read_properties(r, codec::property_context::publish, m->props);
  const std::uint32_t size = r.u32();
  if (!r.ok() || r.remaining() != size || s.qos > 2 || m->qos > 2) return std::nullopt;
  m->payload = r.rest();
  m->expires_at = from_wall_ms(expires);
  s.subscription_ids = std::move(m->props.subscription_identifiers);
  m->props.subscription_identifiers.clear();
  s.msg = std::move(m);
  return s;
}

std::string encode_session(const session::session_record& rec) {
  std::string out;
  codec::wire_writer w(out);
  w.u8(k_version);
  w.u32(rec.expiry_interval);
  const auto since = rec.offline_since.time_since_epoch();
  put_u64(w, static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(since).count()));
  w.u32(static_cast<std::uint32_t>(rec.subscriptions.size()));
  for (const auto& s : rec.subscriptions) {
    w.utf8(s.filter);
    w.u8(static_cast<std::uint8_t>(s.options.qos | (s.options.no_local ? 0x04 : 0) |
                                   (s.options.retain_as_published ? 0x08 : 0)));
    w.u32(s.options.identifier);
  }
  return out;
}

std::optional<session::session_record> decode_session(std::string_view client_id, std::string_view bytes) {
  codec::wire_reader r(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  if (r.u8() != k_version) return std::nullopt;
  session::session_record rec;
  rec.client_id = std::string(client_id);
  rec.expiry_interval = r.u32();
  rec.offline_since = std::chrono::system_clock::time_point(std::chrono::milliseconds(get_u64(r)));
  const std::uint32_t n = r.u32();
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    session::subscription s;
    s.filter = r.utf8();
    const std::uint8_t o = r.u8();
    s.options.qos = o & 0x03;
    s.options.no_local = o & 0x04;
    s.options.retain_as_published = o & 0x08;
    s.options.identifier = r.u32();
    rec.subscriptions.push_back(std::move(s));
  }
  if (!r.ok() || r.remaining() != 0) return std::nullopt;
  return rec;
}

}  // namespace ternmq::store
