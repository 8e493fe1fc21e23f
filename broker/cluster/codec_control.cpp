// Bodies of the handshake, liveness and membership messages; see codec_parts.hpp.
#include "broker/cluster/codec_fields.hpp"
#include "broker/cluster/codec_parts.hpp"

namespace ternmq::cluster::parts {
namespace {

// Smallest member entry on the wire: two empty texts, the state byte and a stamp with an
// empty name (8 + 4 + 2). A lower bound is all `count` needs.
constexpr std::size_t k_min_member_entry_size = 2 + 2 + 1 + 14;

std::string get_fixed(wire_reader& r, std::size_t size, const char* what) {
  std::string s = r.bytes16();
  if (r.ok() && s.size() != size) r.fail(errc::invalid_value, what);
  return s;
}

std::string get_address(wire_reader& r) {
  std::string a = r.text();
  if (r.ok() && !is_valid_cluster_address(a)) r.fail(errc::invalid_value, "invalid cluster address");
  return a;
}

}  // namespace

void put(wire_writer& w, const hello& m) {
  w.u16(m.protocol_version);
  w.text(m.nodename);
  w.bytes16(m.nonce);
}

void get(wire_reader& r, hello& m) {
  // Any version is read: refusing a mismatch is the handshake's job, with a clear reason.
  m.protocol_version = r.u16();
  m.nodename = fields::get_nodename(r);
  m.nonce = get_fixed(r, k_nonce_size, "nonce of the wrong size");
}

void put(wire_writer& w, const auth& m) {
  w.text(m.nodename);
  w.bytes16(m.nonce);
  w.bytes16(m.proof);
}

void get(wire_reader& r, auth& m) {
  m.nodename = fields::get_nodename(r);
  m.nonce = get_fixed(r, k_nonce_size, "nonce of the wrong size");
  m.proof = get_fixed(r, k_proof_size, "proof of the wrong size");
}

void put(wire_writer& w, const auth_ok& m) { w.bytes16(m.proof); }

void get(wire_reader& r, auth_ok& m) { m.proof = get_fixed(r, k_proof_size, "proof of the wrong size"); }

void put(wire_writer& w, const auth_refused& m) {
  w.u8(static_cast<std::uint8_t>(m.reason));
  w.text(m.detail);
}

void get(wire_reader& r, auth_refused& m) {
  const std::uint8_t reason = r.u8();
  if (reason < 1 || reason > 5) r.fail(errc::invalid_value, "unknown refusal reason");
  m.reason = static_cast<refusal>(reason);
  m.detail = r.text();
}

void put(wire_writer& w, const ping& m) { w.u64(m.seq); }
void get(wire_reader& r, ping& m) { m.seq = r.u64(); }
void put(wire_writer& w, const pong& m) { w.u64(m.seq); }
void get(wire_reader& r, pong& m) { m.seq = r.u64(); }

void put(wire_writer& w, const join& m) {
  w.text(m.nodename);
  w.text(m.address);
}

void get(wire_reader& r, join& m) {
  m.nodename = fields::get_nodename(r);
  m.address = get_address(r);
}

void put(wire_writer& w, const members& m) {
  w.count(m.list.size());
  for (const auto& e : m.list) {
    w.text(e.nodename);
    w.text(e.address);
    w.u8(static_cast<std::uint8_t>(e.state));
    fields::put_stamp(w, e.stamp);
  }
}

void get(wire_reader& r, members& m) {
  const std::uint32_t n = r.count(k_min_member_entry_size);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    member_entry e;
    e.nodename = fields::get_nodename(r);
    e.address = get_address(r);
    const std::uint8_t state = r.u8();
    if (state < 1 || state > 3) r.fail(errc::invalid_value, "unknown member state");
    e.state = static_cast<member_state>(state);
    e.stamp = fields::get_stamp(r);
    m.list.push_back(std::move(e));
  }
}

void put(wire_writer& w, const leave& m) { w.text(m.nodename); }
void get(wire_reader& r, leave& m) { m.nodename = fields::get_nodename(r); }

}  // namespace ternmq::cluster::parts
