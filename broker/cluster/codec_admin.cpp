// Bodies of the admin session messages; see admin_messages.hpp and codec_parts.hpp.
#include "broker/cluster/codec_fields.hpp"
#include "broker/cluster/codec_parts.hpp"

namespace ternmq::cluster {

const char* to_string(admin_command c) {
  switch (c) {
    case admin_command::cluster_show: return "cluster show";
    case admin_command::cluster_join: return "cluster join";
    case admin_command::cluster_leave: return "cluster leave";
  }
  return "unknown";
}

}  // namespace ternmq::cluster

namespace ternmq::cluster::parts {
namespace {

// Smallest member row on the wire: two empty texts, the state byte and the running flag.
constexpr std::size_t k_min_member_status_size = 2 + 2 + 1 + 1;

}  // namespace

void put(wire_writer& w, const admin_request& m) {
  w.u8(static_cast<std::uint8_t>(m.command));
  w.text(m.argument);
}

void get(wire_reader& r, admin_request& m) {
  const std::uint8_t command = r.u8();
  if (command < 1 || command > 3) r.fail(errc::invalid_value, "unknown admin command");
  m.command = static_cast<admin_command>(command);
  m.argument = r.text();
}

void put(wire_writer& w, const admin_reply& m) {
  w.flag(m.ok);
  w.text(m.detail);
  w.count(m.members.size());
  for (const auto& s : m.members) {
    w.text(s.nodename);
    w.text(s.address);
    w.u8(static_cast<std::uint8_t>(s.state));
    w.flag(s.running);
  }
}

void get(wire_reader& r, admin_reply& m) {
  m.ok = r.flag();
  m.detail = r.text();
  const std::uint32_t n = r.count(k_min_member_status_size);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    member_status s;
    s.nodename = fields::get_nodename(r);
    s.address = r.text();
    if (r.ok() && !is_valid_cluster_address(s.address)) r.fail(errc::invalid_value, "invalid cluster address");
    const std::uint8_t state = r.u8();
    if (state < 1 || state > 3) r.fail(errc::invalid_value, "unknown member state");
    s.state = static_cast<member_state>(state);
    s.running = r.flag();
    m.members.push_back(std::move(s));
  }
}

}  // namespace ternmq::cluster::parts
