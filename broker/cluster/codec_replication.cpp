// Bodies of the metadata replication messages and of the forwarded publish; see codec_parts.hpp.
// Every received metadata entry is checked against its map's key and value forms
// (metadata_types.hpp) here, so a replica only ever merges well-formed entries.
#include "broker/cluster/codec_fields.hpp"
#include "broker/cluster/codec_parts.hpp"
#include "broker/topic/topic.hpp"

namespace ternmq::cluster::parts {
namespace {

// Lower bounds on the wire, for `count`: an entry is two empty key parts, a stamp with an empty
// name and the value flag; a map block is its id and a count; a shared target two empty texts.
constexpr std::size_t k_min_entry_size = 2 + 2 + 14 + 1;
constexpr std::size_t k_min_map_block_size = 1 + 4;
constexpr std::size_t k_min_shared_target_size = 2 + 2;

map_id get_map_id(wire_reader& r) {
  const std::uint8_t id = r.u8();
  if (r.ok() && !is_known_map(id)) r.fail(errc::invalid_value, "unknown metadata map");
  return static_cast<map_id>(id);
}

void put_entries(wire_writer& w, const std::vector<metadata_entry>& entries) {
  w.count(entries.size());
  for (const auto& e : entries) {
    w.text(e.key.owner);
    w.bytes16(e.key.name);
    fields::put_stamp(w, e.stamp);
    w.flag(e.value.has_value());
    if (e.value) w.bytes32(*e.value);
  }
}

std::vector<metadata_entry> get_entries(wire_reader& r, map_id map) {
  std::vector<metadata_entry> out;
  const std::uint32_t n = r.count(k_min_entry_size);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    metadata_entry e;
    e.key.owner = r.text();
    e.key.name = r.bytes16();
    e.stamp = fields::get_stamp(r);
    if (r.flag()) e.value = r.bytes32();
    if (!r.ok()) break;
    if (auto bad = check_entry(map, e)) r.fail(*bad);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

void put(wire_writer& w, const metadata_sync& m) {
  w.count(m.maps.size());
  for (const auto& block : m.maps) {
    w.u8(static_cast<std::uint8_t>(block.map));
    put_entries(w, block.entries);
  }
}

void get(wire_reader& r, metadata_sync& m) {
  const std::uint32_t n = r.count(k_min_map_block_size);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    map_entries block;
    block.map = get_map_id(r);
    block.entries = get_entries(r, block.map);
    m.maps.push_back(std::move(block));
  }
}

void put(wire_writer& w, const metadata_delta& m) {
  w.u8(static_cast<std::uint8_t>(m.map));
  put_entries(w, m.entries);
}

void get(wire_reader& r, metadata_delta& m) {
  m.map = get_map_id(r);
  m.entries = get_entries(r, m.map);
}

void put(wire_writer& w, const publish& m) {
  w.text(m.origin);
  w.text(m.mountpoint);
  w.text(m.publisher_client_id);
  w.flag(m.to_plain_subscribers);
  w.count(m.shared.size());
  for (const auto& t : m.shared) {
    w.text(t.group);
    w.text(t.filter);
  }
  fields::put_app_message(w, m.message);
}

void get(wire_reader& r, publish& m) {
  m.origin = fields::get_nodename(r);
  m.mountpoint = r.text();
  m.publisher_client_id = r.text();
  m.to_plain_subscribers = r.flag();
  const std::uint32_t n = r.count(k_min_shared_target_size);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    shared_target t;
    t.group = r.text();
    t.filter = r.text();
    // The pair must form a valid `$share/<group>/<filter>` that splits back into the same pair
    // (a `/` in the group would shift the split).
    if (r.ok()) {
      const auto parsed = topic::parse_shared("$share/" + t.group + "/" + t.filter);
      if (!parsed || parsed->group != t.group || parsed->filter != t.filter) {
        r.fail(errc::invalid_value, "invalid shared subscription target");
      }
    }
    m.shared.push_back(std::move(t));
  }
  if (r.ok() && !m.to_plain_subscribers && m.shared.empty()) {
    r.fail(errc::invalid_value, "publish addressed to no subscriber");
  }
  m.message = fields::get_app_message(r);
}

}  // namespace ternmq::cluster::parts
