// Samples and the random message generator of the cluster tests; see cluster_test_support.hpp.
#include "cluster_test_support.hpp"

#include <set>

#include "broker/cluster/metadata_types.hpp"

namespace ternmq::cluster::test_support {

std::string from_hex(std::string_view hex) {
  std::string out;
  int high = -1;
  for (char c : hex) {
    if (c == ' ') continue;
    const int v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<char>((high << 4) | v));
      high = -1;
    }
  }
  return out;
}

std::string to_hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    if (!out.empty()) out.push_back(' ');
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0xF]);
  }
  return out;
}

std::string filled(char fill, std::size_t size) { return std::string(size, fill); }

hlc_timestamp stamp(std::uint64_t ms, std::uint32_t counter, std::string node) {
  return hlc_timestamp{ms, counter, std::move(node)};
}

app_message full_app_message() {
  app_message m;
  m.topic = "sensors/\xC3\xA9t\xC3\xA9/temp";
  m.payload = std::string("\x00\x01\xFF payload", 11);
  m.qos = 2;
  m.retain = true;
  m.props.payload_format = 1;
  m.props.message_expiry = 3600;
  m.props.content_type = "application/json";
  m.props.response_topic = "reply/here";
  m.props.correlation_data = std::string("\x00\xFE", 2);
  m.props.user = {{"b", "2"}, {"a", "1"}, {"b", "3"}};  // order and duplicates matter
  return m;
}

session_snapshot full_snapshot() {
  session_snapshot s;
  s.subscriptions = {{"a/+/c", 1, true, false, 7}, {"$share/g1/x/#", 2, false, true, 268'435'455}};
  queued_message q{full_app_message(), 1, true, {7, 9}};
  s.queue = {q, queued_message{app_message{"t", "", 0, false, {}}, 0, false, {}}};
  s.inflight = {inflight_message{1, inflight_stage::awaiting_ack, q},
                inflight_message{65535, inflight_stage::awaiting_pubcomp,
                                 queued_message{full_app_message(), 2, false, {}}}};
  s.incoming_qos2 = {3, 4, 65535};
  s.expiry_interval = 0xFFFFFFFF;
  s.offline_seconds = 42;
  s.will = will_snapshot{full_app_message(), 30};
  return s;
}

std::vector<message> sample_messages() {
  const hlc_timestamp t = stamp(1'700'000'000'123, 5, "node-b@10.0.0.2");
  metadata_entry sub{encode_key(subscription_key{"node-a@10.0.0.1", "mp", "client-1", "$share/g/a/#"}), t,
                     encode_value(subscription_value{2, true, true, 12})};
  metadata_entry gone{encode_key(subscription_key{"node-a@10.0.0.1", "", "client-2", "x/y"}), t, std::nullopt};
  retained_value rv{"on", 1, full_app_message().props, 1'700'000'360'000};
  metadata_entry ret{encode_key(retained_key{"", "lights/kitchen"}), t, encode_value(rv)};
  metadata_entry mem{member_key("node-c"), t, encode_value(member_value{"[fd00::3]:44053", member_state::leaving})};

  return {
      hello{k_protocol_version, "node-a@10.0.0.1", filled('\x11', k_nonce_size)},
      auth{"node-b@10.0.0.2", filled('\x22', k_nonce_size), filled('\x33', k_proof_size)},
      auth_ok{filled('\x44', k_proof_size)},
      auth_refused{refusal::version_mismatch, "we speak 1"},
      ping{0x0102030405060708},
      pong{0xFFFFFFFFFFFFFFFF},
      join{"node-c", "10.0.0.3:44053"},
      members{{member_entry{"node-a", "10.0.0.1:44053", member_state::joined, t},
               member_entry{"node-c", "[fd00::3]:44053", member_state::left, stamp(1, 0, "node-a")}}},
      leave{"node-c"},
      metadata_sync{{map_entries{map_id::subscriptions, {sub, gone}}, map_entries{map_id::retained, {ret}},
                     map_entries{map_id::membership, {mem}}}},
      metadata_delta{map_id::subscriptions, {sub, gone}},
      publish{"node-a", "mp", full_app_message(), "publisher-9", true, {{"g1", "sensors/#"}, {"g2", "+/+/temp"}}},
      takeover_request{77, "mp", "client-1", "node-b"},
      session_transfer{77, "mp", "client-1", full_snapshot()},
      takeover_done{77, "mp", "client-1"},
      admin_request{admin_command::cluster_join, "node-a@10.0.0.1:44053"},
      admin_reply{true, "note", {member_status{"node-a", "10.0.0.1:44053", member_state::joined, true},
                                 member_status{"node-c", "[fd00::3]:44053", member_state::leaving, false}}},
  };
}

// --- random messages ---------------------------------------------------------------------------

std::string message_generator::text(std::size_t max_len) {
  // A mix of ASCII and two- and three-byte UTF-8 characters.
  static const std::vector<std::string> pieces = {"a", "b", "z", "0", "-", "_", ".", "\xC3\xA9", "\xE2\x82\xAC", " "};
  std::string s;
  const std::size_t n = below(static_cast<std::uint32_t>(max_len + 1));
  for (std::size_t i = 0; i < n; ++i) s += pieces[below(static_cast<std::uint32_t>(pieces.size()))];
  return s;
}

std::string message_generator::bytes(std::size_t max_len) {
  std::string s(below(static_cast<std::uint32_t>(max_len + 1)), '\0');
  for (auto& c : s) c = static_cast<char>(below(256));
  return s;
}

std::string message_generator::nodename() { return "n" + text(12); }

std::string message_generator::topic_name() {
  std::string t = "t" + text(6);
  for (std::uint32_t levels = below(4); levels > 0; --levels) t += "/" + text(5);
  return t;
}

std::string message_generator::topic_filter() {
  switch (below(4)) {
    case 0: return topic_name();
    case 1: return topic_name() + "/#";
    case 2: return "+/" + topic_name();
    default: return "$share/g" + std::to_string(below(5)) + "/" + topic_name();
  }
}

hlc_timestamp message_generator::random_stamp() {
  return hlc_timestamp{(std::uint64_t{u32()} << 20) | u32(), u32(), nodename()};
}

message_properties message_generator::properties() {
  message_properties p;
  if (coin()) p.payload_format = static_cast<std::uint8_t>(below(2));
  if (coin()) p.message_expiry = u32();
  if (coin()) p.content_type = text(10);
  if (coin()) p.response_topic = topic_name();
  if (coin()) p.correlation_data = bytes(8);
  for (std::uint32_t n = below(4); n > 0; --n) p.user.emplace_back(text(5), text(5));
  return p;
}

app_message message_generator::app() {
  return app_message{topic_name(), bytes(40), static_cast<std::uint8_t>(below(3)), coin(), properties()};
}

queued_message message_generator::queued(std::uint8_t min_qos) {
  queued_message q{app(), static_cast<std::uint8_t>(min_qos + below(3 - min_qos)), coin(), {}};
  for (std::uint32_t n = below(3); n > 0; --n) q.subscription_ids.push_back(1 + below(268'435'455));
  return q;
}

session_snapshot message_generator::snapshot() {
  session_snapshot s;
  for (std::uint32_t n = below(4); n > 0; --n) {
    s.subscriptions.push_back({topic_filter(), static_cast<std::uint8_t>(below(3)), coin(), coin(), below(1000)});
  }
  for (std::uint32_t n = below(4); n > 0; --n) s.queue.push_back(queued(0));
  std::set<std::uint16_t> ids;
  for (std::uint32_t n = below(4); n > 0; --n) {
    const auto id = static_cast<std::uint16_t>(1 + below(65535));
    if (!ids.insert(id).second) continue;
    const bool pubrel = coin();
    inflight_message f{id, pubrel ? inflight_stage::awaiting_pubcomp : inflight_stage::awaiting_ack, queued(pubrel ? 2 : 1)};
    s.inflight.push_back(std::move(f));
  }
  std::set<std::uint16_t> incoming;
  for (std::uint32_t n = below(4); n > 0; --n) {
    const auto id = static_cast<std::uint16_t>(1 + below(65535));
    if (incoming.insert(id).second) s.incoming_qos2.push_back(id);
  }
  s.expiry_interval = u32();
  if (coin()) s.offline_seconds = u32();
  if (coin()) s.will = will_snapshot{app(), u32()};
  return s;
}

metadata_entry message_generator::entry(map_id map) {
  metadata_entry e;
  e.stamp = random_stamp();
  const bool live = coin();
  switch (map) {
    case map_id::membership:
      e.key = member_key(nodename());
      if (live) e.value = encode_value(member_value{"h" + text(5) + ":" + std::to_string(1 + below(65535)),
                                                    static_cast<member_state>(1 + below(3))});
      break;
    case map_id::subscriptions:
      e.key = encode_key(subscription_key{nodename(), text(4), text(8), topic_filter()});
      if (live) e.value = encode_value(subscription_value{static_cast<std::uint8_t>(below(3)), coin(), coin(), below(1000)});
      break;
    case map_id::retained: {
      e.key = encode_key(retained_key{text(4), topic_name()});
      std::optional<std::uint64_t> expires;
      if (coin()) expires = u32();
      if (live) e.value = encode_value(retained_value{bytes(20), static_cast<std::uint8_t>(below(3)), properties(), expires});
      break;
    }
  }
  return e;
}

message message_generator::next() {
  const auto random_map = [this] { return static_cast<map_id>(1 + below(3)); };
  switch (below(15)) {
    case 0: return hello{static_cast<std::uint16_t>(u32()), nodename(), bytes(0).append(k_nonce_size, static_cast<char>(below(256)))};
    case 1: return auth{nodename(), std::string(k_nonce_size, 'c'), std::string(k_proof_size, 'p')};
    case 2: return auth_ok{std::string(k_proof_size, static_cast<char>(below(256)))};
    case 3: return auth_refused{static_cast<refusal>(1 + below(5)), text(20)};
    case 4: return ping{(std::uint64_t{u32()} << 32) | u32()};
    case 5: return pong{u32()};
    case 6: return join{nodename(), "10.0.0." + std::to_string(below(256)) + ":" + std::to_string(1 + below(65535))};
    case 7: {
      members m;
      for (std::uint32_t n = below(4); n > 0; --n) {
        m.list.push_back({nodename(), "h:" + std::to_string(1 + below(65535)), static_cast<member_state>(1 + below(3)),
                          random_stamp()});
      }
      return m;
    }
    case 8: return leave{nodename()};
    case 9: {
      metadata_sync m;
      for (std::uint32_t n = below(4); n > 0; --n) {
        map_entries block{random_map(), {}};
        for (std::uint32_t k = below(4); k > 0; --k) block.entries.push_back(entry(block.map));
        m.maps.push_back(std::move(block));
      }
      return m;
    }
    case 10: {
      metadata_delta m{random_map(), {}};
      for (std::uint32_t k = below(4); k > 0; --k) m.entries.push_back(entry(m.map));
      return m;
    }
    case 11: {
      publish p{nodename(), text(4), app(), text(10), coin(), {}};
      for (std::uint32_t n = below(3); n > 0; --n) p.shared.push_back({"g" + text(3), topic_name()});
      if (p.shared.empty()) p.to_plain_subscribers = true;
      return p;
    }
    case 12: return takeover_request{u32(), text(4), text(10), nodename()};
    case 13: {
      session_transfer t{u32(), text(4), text(10), std::nullopt};
      if (coin()) t.session = snapshot();
      return t;
    }
    default: return takeover_done{u32(), text(4), text(10)};
  }
}

}  // namespace ternmq::cluster::test_support
