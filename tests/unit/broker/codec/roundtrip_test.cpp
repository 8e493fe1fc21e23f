// Round trips encode -> parse_frame -> decode for every packet type in MQTT 3.1 (level 3), 3.1.1
// and 5.0, with every property a packet allows; golden bytes pin the wire form so a bug shared by
// encoder and decoder cannot hide; and every truncation of a valid packet fails cleanly.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "broker/codec/decoder.hpp"
#include "broker/codec/encoder.hpp"
#include "broker/codec/packets.hpp"
#include "broker/codec/properties.hpp"

namespace ternmq::codec {
namespace {

using bytes = std::vector<std::uint8_t>;
using ctx = property_context;

bytes to_bytes(const std::string& s) { return bytes(s.begin(), s.end()); }

bytes encoded(const packet& p, protocol_version v) {
  std::string out;
  encode(p, v, out);
  return to_bytes(out);
}

// Every property `c` allows, each with a value valid for it (and not a default), so a property
// the encoder forgets or the decoder drops changes the round-tripped value.
properties full_properties(ctx c) {
  struct setter {
    property_id id;
    std::function<void(properties&)> set;
  };
  const std::vector<setter> all = {
      {property_id::payload_format_indicator, [](properties& p) { p.payload_format_indicator = 1; }},
      {property_id::message_expiry_interval, [](properties& p) { p.message_expiry_interval = 3600; }},
      {property_id::content_type, [](properties& p) { p.content_type = "text/plain; charset=\xC3\xA9"; }},
      {property_id::response_topic, [](properties& p) { p.response_topic = "reply/to/me"; }},
      {property_id::correlation_data, [](properties& p) { p.correlation_data = std::string("\x00\x01\xFF", 3); }},
      {property_id::subscription_identifier,
       [c](properties& p) {
         // A SUBSCRIBE carries at most one; a PUBLISH to a client carries one per matching subscription.
         p.subscription_identifiers = c == ctx::subscribe ? std::vector<std::uint32_t>{268'435'455}
                                                          : std::vector<std::uint32_t>{1, 128, 268'435'455};
       }},
      {property_id::session_expiry_interval, [](properties& p) { p.session_expiry_interval = 0xFFFFFFFF; }},
      {property_id::assigned_client_identifier, [](properties& p) { p.assigned_client_identifier = "auto-7F3A"; }},
      {property_id::server_keep_alive, [](properties& p) { p.server_keep_alive = 30; }},
      {property_id::authentication_method, [](properties& p) { p.authentication_method = "SCRAM-SHA-256"; }},
      {property_id::authentication_data, [](properties& p) { p.authentication_data = std::string("\x00\xFE", 2); }},
      {property_id::request_problem_information, [](properties& p) { p.request_problem_information = 0; }},
      {property_id::will_delay_interval, [](properties& p) { p.will_delay_interval = 10; }},
      {property_id::request_response_information, [](properties& p) { p.request_response_information = 1; }},
      {property_id::response_information, [](properties& p) { p.response_information = "resp/base"; }},
      {property_id::server_reference, [](properties& p) { p.server_reference = "other.example:1883"; }},
      {property_id::reason_string, [](properties& p) { p.reason_string = "because"; }},
      {property_id::receive_maximum, [](properties& p) { p.receive_maximum = 20; }},
      {property_id::topic_alias_maximum, [](properties& p) { p.topic_alias_maximum = 10; }},
      {property_id::topic_alias, [](properties& p) { p.topic_alias = 5; }},
      {property_id::maximum_qos, [](properties& p) { p.maximum_qos = 1; }},
      {property_id::retain_available, [](properties& p) { p.retain_available = 0; }},
      // Repeated keys are allowed and their order must survive (MQTT-3.3.2-18).
      {property_id::user_property, [](properties& p) { p.user = {{"k", "v1"}, {"k", "v2"}, {"", ""}}; }},
      {property_id::maximum_packet_size, [](properties& p) { p.maximum_packet_size = 1u << 20; }},
      {property_id::wildcard_subscription_available, [](properties& p) { p.wildcard_subscription_available = 1; }},
      {property_id::subscription_identifier_available, [](properties& p) { p.subscription_identifier_available = 0; }},
      {property_id::shared_subscription_available, [](properties& p) { p.shared_subscription_available = 1; }},
  };
  properties p;
  for (const auto& s : all)
    if (allowed_in(s.id, c)) s.set(p);
  return p;
}

// One packet value to round-trip on one protocol version.
struct sample {
  std::string name;
  protocol_version version;
  packet p;
};

void PrintTo(const sample& s, std::ostream* os) { *os << s.name; }

std::string version_tag(protocol_version v) {
  switch (v) {
    case protocol_version::v31: return "v31";
    case protocol_version::v311: return "v311";
    case protocol_version::v5: return "v5";
  }
  return "v?";
}

std::vector<sample> samples_for(protocol_version v) {
  const bool v5 = v == protocol_version::v5;
  auto props = [&](ctx c) { return v5 ? full_properties(c) : properties{}; };
  std::vector<sample> out;
  auto add = [&](std::string name, packet p) { out.push_back({version_tag(v) + "_" + name, v, std::move(p)}); };

  connect full;
  full.version = v;
  full.clean_start = false;
  full.keep_alive = 65535;
  full.client_id = "client-\xE2\x82\xAC";
  full.will = will_message{"will/topic", std::string("\x00" "bye\xFF", 5), 2, true, props(ctx::will)};
  full.username = "user";
  full.password = std::string("\x00\xFFpw", 4);
  full.props = props(ctx::connect);
  add("connect_full", full);

  connect minimal;
  minimal.version = v;
  add("connect_minimal", minimal);

  connect will_qos1;
  will_qos1.version = v;
  will_qos1.client_id = "w";
  will_qos1.will = will_message{"w/t", "", 1, false, {}};
  will_qos1.username = "only-user";
  add("connect_will_qos1_username_only", will_qos1);

  if (v5) {
    connect password_only;  // allowed from 5.0 on (no MQTT-3.1.2-22 any more)
    password_only.version = v;
    password_only.client_id = "p";
    password_only.password = "secret";
    add("connect_password_without_username", password_only);
  }

  add("connack_accepted", connack{true, 0, props(ctx::connack)});
  add("connack_refused", connack{false, static_cast<std::uint8_t>(v5 ? 0x87 : 5), {}});

  add("publish_qos0_retain", publish{false, 0, true, "a/b/c", 0, props(ctx::publish), "payload"});
  add("publish_qos1_dup", publish{true, 1, false, "sensors/\xC3\xA9", 1, props(ctx::publish), std::string("\x00\x01", 2)});
  add("publish_qos2_empty_payload", publish{false, 2, true, "$SYS/x", 65535, props(ctx::publish), ""});
  add("publish_large_payload", publish{false, 1, false, "big", 7, {}, std::string(200'000, 'z')});
  if (v5) {
    properties alias_only;
    alias_only.topic_alias = 3;
    add("publish_topic_alias_empty_topic", publish{false, 0, false, "", 0, alias_only, "x"});
  }

  const std::uint8_t ack_reason = v5 ? 0x10 : 0;
  add("puback", puback{1, ack_reason, props(ctx::puback)});
  add("pubrec", pubrec{2, static_cast<std::uint8_t>(v5 ? 0x80 : 0), props(ctx::pubrec)});
  add("pubrel", pubrel{65535, static_cast<std::uint8_t>(v5 ? 0x92 : 0), props(ctx::pubrel)});
  add("pubcomp", pubcomp{4, 0, props(ctx::pubcomp)});
  if (v5) {
    add("puback_reason_only", puback{9, 0x10, {}});
    add("pubcomp_success_no_props", pubcomp{10, 0, {}});
  }

  subscribe sub;
  sub.packet_id = 10;
  sub.props = props(ctx::subscribe);
  sub.subscriptions.push_back({"a/+/c", 0, false, false, 0});
  sub.subscriptions.push_back({"#", 1, v5, false, static_cast<std::uint8_t>(v5 ? 1 : 0)});
  sub.subscriptions.push_back({"$share/g/x/#", 2, false, v5, static_cast<std::uint8_t>(v5 ? 2 : 0)});
  add("subscribe", sub);

  add("suback", suback{10, props(ctx::suback), {0x00, 0x01, 0x02, 0x80}});
  add("unsubscribe", unsubscribe{11, props(ctx::unsubscribe), {"a/+/c", "#"}});
  add("unsuback", unsuback{11, props(ctx::unsuback),
                           v5 ? std::vector<std::uint8_t>{0x00, 0x11} : std::vector<std::uint8_t>{}});
  add("pingreq", pingreq{});
  add("pingresp", pingresp{});
  add("disconnect", disconnect{});
  if (v5) {
    add("disconnect_with_will", disconnect{0x04, full_properties(ctx::disconnect)});
    add("auth", auth{0x18, full_properties(ctx::auth)});
    add("auth_success_empty", auth{});
  }
  return out;
}

std::vector<sample> all_samples() {
  std::vector<sample> out;
  for (auto v : {protocol_version::v31, protocol_version::v311, protocol_version::v5}) {
    auto s = samples_for(v);
    out.insert(out.end(), std::make_move_iterator(s.begin()), std::make_move_iterator(s.end()));
  }
  return out;
}

// Decodes `b` as exactly one frame; the body sits in its own allocation so an overread is a
// sanitizer report, not a silent read of the next bytes.
decode_result decode_exact(const bytes& b, protocol_version v) {
  frame f;
  if (parse_frame(b.data(), b.size(), f) != frame_status::complete || f.total_size() != b.size())
    return decode_error{reason_code::unspecified_error, "test input is not exactly one frame"};
  const auto body = std::make_unique<std::uint8_t[]>(f.remaining_length);
  std::copy(b.begin() + static_cast<std::ptrdiff_t>(f.header_size), b.end(), body.get());
  return decode_packet(f, body.get(), v);
}

class RoundTripTest : public testing::TestWithParam<sample> {};

TEST_P(RoundTripTest, DecodesToTheEncodedValue) {
  const sample& s = GetParam();
  const bytes wire = encoded(s.p, s.version);

  frame f;
  ASSERT_EQ(parse_frame(wire.data(), wire.size(), f), frame_status::complete);
  EXPECT_EQ(f.type, static_cast<std::uint8_t>(type_of(s.p)));
  EXPECT_EQ(f.total_size(), wire.size());

  const auto decoded = decode_exact(wire, s.version);
  ASSERT_TRUE(decoded) << decoded.err().what;
  EXPECT_TRUE(decoded.value() == s.p);
  // Encoding is deterministic: the decoded value encodes to the same bytes.
  EXPECT_EQ(encoded(decoded.value(), s.version), wire);
}

TEST_P(RoundTripTest, EveryTruncationFailsCleanly) {
  const sample& s = GetParam();
  const bytes wire = encoded(s.p, s.version);
  // Only the first kilobyte: the large payload's later prefixes add time, not cases.
  const std::size_t limit = std::min<std::size_t>(wire.size(), 1024);

  // A stream cut short: the frame is incomplete and must not be handed to the decoder.
  for (std::size_t k = 0; k < limit; ++k) {
    frame f;
    const frame_status st = parse_frame(wire.data(), k, f);
    EXPECT_TRUE(st == frame_status::need_more || (st == frame_status::complete && f.total_size() > k)) << k;
  }

  // A frame whose Remaining Length itself is short: the decoder sees every shorter body.
  frame full;
  ASSERT_EQ(parse_frame(wire.data(), wire.size(), full), frame_status::complete);
  const std::size_t body_limit = std::min<std::size_t>(full.remaining_length, 1024);
  for (std::size_t len = 0; len < body_limit; ++len) {
    SCOPED_TRACE("body length " + std::to_string(len));
    frame f = full;
    f.remaining_length = static_cast<std::uint32_t>(len);
    const auto body = std::make_unique<std::uint8_t[]>(len + 1);  // +1: never a zero-size allocation
    std::copy_n(wire.begin() + static_cast<std::ptrdiff_t>(full.header_size), len, body.get());
    const auto r = decode_packet(f, body.get(), s.version);
    if (r) {
      // Some prefixes are valid packets (fewer filters, shorter payload, a 5.0 ack without its
      // reason code). They must differ from the original and survive their own round trip.
      EXPECT_FALSE(r.value() == s.p);
      const auto again = decode_exact(encoded(r.value(), s.version), s.version);
      ASSERT_TRUE(again);
      EXPECT_TRUE(again.value() == r.value());
      EXPECT_NE(type_of(s.p), packet_type::connect) << "a CONNECT has no optional trailing field";
    } else {
      const reason_code c = r.err().code;
      EXPECT_TRUE(c == reason_code::malformed_packet || c == reason_code::protocol_error ||
                  c == reason_code::topic_name_invalid)
          << to_string(c);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllPackets, RoundTripTest, testing::ValuesIn(all_samples()),
                         [](const testing::TestParamInfo<sample>& param_info) { return param_info.param.name; });

// --- golden bytes ----------------------------------------------------------------------------

struct golden {
  const char* name;
  protocol_version version;
  packet p;
  bytes wire;
};

std::vector<golden> golden_cases() {
  using pv = protocol_version;
  properties rx_max;
  rx_max.receive_maximum = 10;
  connect v5_connect;
  v5_connect.version = pv::v5;
  v5_connect.keep_alive = 60;
  v5_connect.props = rx_max;
  connect v31_connect;
  v31_connect.version = pv::v31;
  v31_connect.keep_alive = 60;
  v31_connect.client_id = "c";
  connect v311_connect;
  v311_connect.keep_alive = 60;
  v311_connect.will = will_message{"w", "x", 1, true, {}};
  v311_connect.username = "u";
  v311_connect.password = "p";
  properties reason;
  reason.reason_string = "r";
  return {
      {"v311 CONNECT with will, user and password", pv::v311, v311_connect,
       {0x10, 0x18, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0xEE, 0x00, 0x3C, 0x00, 0x00,
        0x00, 0x01, 'w', 0x00, 0x01, 'x', 0x00, 0x01, 'u', 0x00, 0x01, 'p'}},
      {"v31 CONNECT", pv::v31, v31_connect,
       {0x10, 0x0F, 0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', 0x03, 0x02, 0x00, 0x3C, 0x00, 0x01, 'c'}},
      {"v5 CONNECT with Receive Maximum", pv::v5, v5_connect,
       {0x10, 0x10, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C, 0x03, 0x21, 0x00, 0x0A, 0x00, 0x00}},
      {"v311 CONNACK session present", pv::v311, connack{true, 0, {}}, {0x20, 0x02, 0x01, 0x00}},
      {"v5 CONNACK", pv::v5, connack{false, 0x00, {}}, {0x20, 0x03, 0x00, 0x00, 0x00}},
      {"v311 PUBLISH qos 1", pv::v311, publish{false, 1, false, "a/b", 10, {}, "x"},
       {0x32, 0x08, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x0A, 'x'}},
      {"v5 PUBLISH qos 0 retain", pv::v5, publish{false, 0, true, "a/b", 0, {}, "x"},
       {0x31, 0x07, 0x00, 0x03, 'a', '/', 'b', 0x00, 'x'}},
      {"v311 PUBLISH qos 2 dup", pv::v311, publish{true, 2, false, "t", 1, {}, ""},
       {0x3C, 0x05, 0x00, 0x01, 't', 0x00, 0x01}},
      {"v311 PUBACK", pv::v311, puback{7, 0, {}}, {0x40, 0x02, 0x00, 0x07}},
      {"v5 PUBACK reason only", pv::v5, puback{7, 0x10, {}}, {0x40, 0x03, 0x00, 0x07, 0x10}},
      {"v5 PUBREC with reason string", pv::v5, pubrec{7, 0x80, reason},
       {0x50, 0x08, 0x00, 0x07, 0x80, 0x04, 0x1F, 0x00, 0x01, 'r'}},
      {"v311 PUBREL", pv::v311, pubrel{1, 0, {}}, {0x62, 0x02, 0x00, 0x01}},
      {"v311 PUBCOMP", pv::v311, pubcomp{1, 0, {}}, {0x70, 0x02, 0x00, 0x01}},
      {"v311 SUBSCRIBE", pv::v311, subscribe{1, {}, {{"a/b", 1, false, false, 0}}},
       {0x82, 0x08, 0x00, 0x01, 0x00, 0x03, 'a', '/', 'b', 0x01}},
      {"v5 SUBSCRIBE with every option", pv::v5, subscribe{1, {}, {{"a/b", 1, true, true, 2}}},
       {0x82, 0x09, 0x00, 0x01, 0x00, 0x00, 0x03, 'a', '/', 'b', 0x2D}},
      {"v311 SUBACK", pv::v311, suback{1, {}, {0x01, 0x80}}, {0x90, 0x04, 0x00, 0x01, 0x01, 0x80}},
      {"v311 UNSUBSCRIBE", pv::v311, unsubscribe{2, {}, {"a"}}, {0xA2, 0x05, 0x00, 0x02, 0x00, 0x01, 'a'}},
      {"v311 UNSUBACK", pv::v311, unsuback{2, {}, {}}, {0xB0, 0x02, 0x00, 0x02}},
      {"v5 UNSUBACK", pv::v5, unsuback{2, {}, {0x11}}, {0xB0, 0x04, 0x00, 0x02, 0x00, 0x11}},
      {"PINGREQ", pv::v311, pingreq{}, {0xC0, 0x00}},
      {"PINGRESP", pv::v5, pingresp{}, {0xD0, 0x00}},
      {"v311 DISCONNECT", pv::v311, disconnect{}, {0xE0, 0x00}},
      {"v5 DISCONNECT normal is empty", pv::v5, disconnect{}, {0xE0, 0x00}},
      {"v5 DISCONNECT with will", pv::v5, disconnect{0x04, {}}, {0xE0, 0x01, 0x04}},
      {"v5 AUTH", pv::v5, auth{0x18, reason}, {0xF0, 0x06, 0x18, 0x04, 0x1F, 0x00, 0x01, 'r'}},
  };
}

TEST(GoldenBytesTest, EncodesToSpecBytes) {
  // 5.0:MQTT-2.2.2-1 5.0:MQTT-2.2.1-2 (the v5 CONNACK, PUBLISH, SUBSCRIBE rows)
  for (const auto& g : golden_cases()) {
    SCOPED_TRACE(g.name);
    EXPECT_EQ(encoded(g.p, g.version), g.wire);
  }
}

TEST(GoldenBytesTest, DecodesSpecBytes) {
  // 3.1.1:MQTT-3.1.3-1 (CONNECT with will, user name and password)
  for (const auto& g : golden_cases()) {
    SCOPED_TRACE(g.name);
    const auto r = decode_exact(g.wire, g.version);
    ASSERT_TRUE(r) << r.err().what;
    EXPECT_TRUE(r.value() == g.p);
  }
}

TEST(GoldenBytesTest, TwoByteRemainingLength) {
  const publish p{false, 0, false, "t", 0, {}, std::string(200, 'x')};
  const bytes wire = encoded(p, protocol_version::v311);
  ASSERT_GE(wire.size(), 3u);
  EXPECT_EQ(wire[0], 0x30);
  // 2 + 1 + 200 = 203 = 0xCB -> 0xCB 0x01
  EXPECT_EQ(wire[1], 0xCB);
  EXPECT_EQ(wire[2], 0x01);
  EXPECT_EQ(wire.size(), 3u + 203u);
}

// --- what each version leaves out ------------------------------------------------------------

TEST(VersionEncodingTest, PropertiesAreLeftOutBefore5) {
  const publish with_props{false, 1, false, "a", 1, full_properties(ctx::publish), "x"};
  const publish without{false, 1, false, "a", 1, {}, "x"};
  EXPECT_EQ(encoded(with_props, protocol_version::v311), encoded(without, protocol_version::v311));
  EXPECT_EQ(encoded(with_props, protocol_version::v31), encoded(without, protocol_version::v31));
  EXPECT_NE(encoded(with_props, protocol_version::v5), encoded(without, protocol_version::v5));
}

TEST(VersionEncodingTest, UnsubackReasonCodesAndAckReasonsAreLeftOutBefore5) {
  EXPECT_EQ(encoded(unsuback{3, {}, {0x11, 0x80}}, protocol_version::v311), (bytes{0xB0, 0x02, 0x00, 0x03}));
  EXPECT_EQ(encoded(puback{3, 0x10, {}}, protocol_version::v311), (bytes{0x40, 0x02, 0x00, 0x03}));
  EXPECT_EQ(encoded(disconnect{0x04, {}}, protocol_version::v311), (bytes{0xE0, 0x00}));
}

TEST(VersionEncodingTest, SubscriptionOptionsBeyondQosAreLeftOutBefore5) {
  const subscribe s{1, {}, {{"a", 2, true, true, 2}}};
  const bytes wire = encoded(s, protocol_version::v311);
  ASSERT_FALSE(wire.empty());
  EXPECT_EQ(wire.back(), 0x02);
}

TEST(PublishWireSizeTest, MatchesEncodedSize) {
  const properties full = full_properties(ctx::publish);
  for (auto v : {protocol_version::v31, protocol_version::v311, protocol_version::v5}) {
    for (const properties* props : {static_cast<const properties*>(nullptr), &full}) {
      for (std::uint8_t qos : {0, 1}) {
        const publish_view view{false, qos, false, "some/topic", static_cast<std::uint16_t>(qos ? 5 : 0), props,
                                std::string_view("payload")};
        std::string out;
        encode_publish(view, v, out);
        EXPECT_EQ(publish_wire_size(view, v), out.size()) << version_tag(v) << " qos " << int{qos};
      }
    }
  }
}

TEST(PublishWireSizeTest, CountsAMultiByteRemainingLength) {
  const std::string payload(20'000, 'p');
  const publish_view view{false, 0, false, "t", 0, nullptr, payload};
  std::string out;
  encode_publish(view, protocol_version::v5, out);
  EXPECT_EQ(publish_wire_size(view, protocol_version::v5), out.size());
  EXPECT_EQ(out.size(), 1u + 3u + 2u + 1u + 1u + payload.size());
}

}  // namespace
}  // namespace ternmq::codec
