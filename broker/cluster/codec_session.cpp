// Bodies of the session takeover messages and the session snapshot; see codec_parts.hpp.
// Beyond field syntax, the decoder checks what the receiving node relies on when it installs a
// snapshot: packet identifiers non-zero and unique, in-flight QoS 1 or 2, and the PUBREL stage
// only for QoS 2.
#include <set>

#include "broker/cluster/codec_fields.hpp"
#include "broker/cluster/codec_parts.hpp"

namespace ternmq::cluster::parts {
namespace {

// Lower bounds on the wire, for `count` (empty texts, empty properties, empty lists).
constexpr std::size_t k_min_subscription_size = 2 + 1 + 1 + 1 + 4;
constexpr std::size_t k_min_app_message_size = 2 + 1 + 1 + (1 + 4) + 4;
constexpr std::size_t k_min_queued_size = k_min_app_message_size + 1 + 1 + 4;
constexpr std::size_t k_min_inflight_size = 2 + 1 + k_min_queued_size;

constexpr std::uint32_t k_max_subscription_identifier = 268'435'455;

void put_queued(wire_writer& w, const queued_message& q) {
  fields::put_app_message(w, q.message);
  w.u8(q.qos);
  w.flag(q.retain);
  w.count(q.subscription_ids.size());
  for (std::uint32_t id : q.subscription_ids) w.u32(id);
}

queued_message get_queued(wire_reader& r) {
  queued_message q;
  q.message = fields::get_app_message(r);
  q.qos = fields::get_qos(r);
  q.retain = r.flag();
  const std::uint32_t n = r.count(4);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    const std::uint32_t id = r.u32();
    if (id == 0 || id > k_max_subscription_identifier) r.fail(errc::invalid_value, "subscription identifier out of range");
    q.subscription_ids.push_back(id);
  }
  return q;
}

std::uint16_t get_packet_id(wire_reader& r, std::set<std::uint16_t>& seen) {
  const std::uint16_t id = r.u16();
  if (!r.ok()) return id;
  if (id == 0) r.fail(errc::invalid_value, "packet identifier 0");
  else if (!seen.insert(id).second) r.fail(errc::invalid_value, "packet identifier listed twice");
  return id;
}

void put_snapshot(wire_writer& w, const session_snapshot& s) {
  w.count(s.subscriptions.size());
  for (const auto& sub : s.subscriptions) {
    w.text(sub.filter);
    w.u8(sub.qos);
    w.flag(sub.no_local);
    w.flag(sub.retain_as_published);
    w.u32(sub.identifier);
  }
  w.count(s.queue.size());
  for (const auto& q : s.queue) put_queued(w, q);
  w.count(s.inflight.size());
  for (const auto& f : s.inflight) {
    w.u16(f.packet_id);
    w.u8(static_cast<std::uint8_t>(f.stage));
    put_queued(w, f.delivery);
  }
  w.count(s.incoming_qos2.size());
  for (std::uint16_t id : s.incoming_qos2) w.u16(id);
  w.u32(s.expiry_interval);
  w.flag(s.offline_seconds.has_value());
  if (s.offline_seconds) w.u32(*s.offline_seconds);
  w.flag(s.will.has_value());
  if (s.will) {
    fields::put_app_message(w, s.will->message);
    w.u32(s.will->delay_seconds);
  }
}

session_snapshot get_snapshot(wire_reader& r) {
  session_snapshot s;
  std::uint32_t n = r.count(k_min_subscription_size);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    snapshot_subscription sub;
    sub.filter = fields::get_topic_filter(r);
    sub.qos = fields::get_qos(r);
    sub.no_local = r.flag();
    sub.retain_as_published = r.flag();
    sub.identifier = r.u32();
    if (sub.identifier > k_max_subscription_identifier) r.fail(errc::invalid_value, "subscription identifier out of range");
    s.subscriptions.push_back(std::move(sub));
  }
  n = r.count(k_min_queued_size);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) s.queue.push_back(get_queued(r));

  std::set<std::uint16_t> outgoing_ids;
  n = r.count(k_min_inflight_size);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    inflight_message f;
    f.packet_id = get_packet_id(r, outgoing_ids);
    const std::uint8_t stage = r.u8();
    if (stage > 1) r.fail(errc::invalid_value, "unknown in-flight stage");
    f.stage = static_cast<inflight_stage>(stage);
    f.delivery = get_queued(r);
    if (r.ok() && f.delivery.qos == 0) r.fail(errc::invalid_value, "QoS 0 message in flight");
    if (r.ok() && f.stage == inflight_stage::awaiting_pubcomp && f.delivery.qos != 2) {
      r.fail(errc::invalid_value, "PUBREL stage for a message below QoS 2");
    }
    s.inflight.push_back(std::move(f));
  }
  std::set<std::uint16_t> incoming_ids;
  n = r.count(2);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) s.incoming_qos2.push_back(get_packet_id(r, incoming_ids));

  s.expiry_interval = r.u32();
  if (r.flag()) s.offline_seconds = r.u32();
  if (r.flag()) {
    will_snapshot will;
    will.message = fields::get_app_message(r);
    will.delay_seconds = r.u32();
    s.will = std::move(will);
  }
  return s;
}

}  // namespace

void put(wire_writer& w, const takeover_request& m) {
  w.u64(m.request_id);
  w.text(m.mountpoint);
  w.text(m.client_id);
  w.text(m.requester);
}

void get(wire_reader& r, takeover_request& m) {
  m.request_id = r.u64();
  m.mountpoint = r.text();
  m.client_id = r.text();
  m.requester = fields::get_nodename(r);
}

void put(wire_writer& w, const session_transfer& m) {
  w.u64(m.request_id);
  w.text(m.mountpoint);
  w.text(m.client_id);
  w.flag(m.session.has_value());
  if (m.session) put_snapshot(w, *m.session);
}

void get(wire_reader& r, session_transfer& m) {
  m.request_id = r.u64();
  m.mountpoint = r.text();
  m.client_id = r.text();
  if (r.flag()) m.session = get_snapshot(r);
}

void put(wire_writer& w, const takeover_done& m) {
  w.u64(m.request_id);
  w.text(m.mountpoint);
  w.text(m.client_id);
}

void get(wire_reader& r, takeover_done& m) {
  m.request_id = r.u64();
  m.mountpoint = r.text();
  m.client_id = r.text();
}

}  // namespace ternmq::cluster::parts
