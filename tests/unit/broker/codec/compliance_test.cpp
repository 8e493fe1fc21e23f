// Codec-level checks of MQTT 3.1.1 / 5.0 normative statements that are pure encoding rules
// (docs/compliance.md maps statements to tests; the tags are in each test body). The byte arrays
// are written out from the specification, independently of the encoder.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "broker/codec/decoder.hpp"
#include "broker/codec/encoder.hpp"
#include "broker/codec/packets.hpp"
#include "broker/codec/wire.hpp"
#include "codec_test_support.hpp"

namespace ternmq::codec {
namespace {

using namespace test_support;


bytes connect_header(std::uint8_t level, std::uint8_t flags) {
  return cat({str("MQTT"), {level, flags}, u16(60)});
}

const std::string k_bom = "\xEF\xBB\xBF";

TEST(ComplianceCodecTest, ByteOrderMarkIsKeptInStrings) {
  // 3.1.1:MQTT-1.5.3-3 5.0:MQTT-1.5.4-3: EF BB BF is U+FEFF, a character: valid, never skipped or
  // stripped, neither when decoding nor when encoding.
  EXPECT_TRUE(is_valid_mqtt_utf8(k_bom));
  EXPECT_TRUE(is_valid_mqtt_utf8(k_bom + "a" + k_bom));
  const std::string topic = k_bom + "t/" + k_bom;
  EXPECT_EQ(decode_as<publish>(pkt(0x30, cat({str(topic), {'x'}})), pv::v311).topic, topic);
  EXPECT_EQ(decode_as<publish>(pkt(0x30, cat({str(topic), {0x00}, {'x'}})), pv::v5).topic, topic);
  EXPECT_EQ(decode_as<connect>(pkt(0x10, cat({connect_header(4, 0x02), str(k_bom + "id")})), pv::v311).client_id,
            k_bom + "id");
  const auto s = decode_as<subscribe>(pkt(0x82, cat({u16(1), str(k_bom + "#"), {0x00}})), pv::v311);
  ASSERT_EQ(s.subscriptions.size(), 1u);
  EXPECT_EQ(s.subscriptions[0].filter, k_bom + "#");
  EXPECT_EQ(encoded(publish{false, 0, false, topic, 0, {}, "x"}, pv::v311), pkt(0x30, cat({str(topic), {'x'}})));
}

TEST(ComplianceCodecTest, Qos0PublishHasNoPacketIdentifier) {
  // 3.1.1:MQTT-2.3.1-5 5.0:MQTT-2.2.1-2: a QoS 0 PUBLISH carries no Packet Identifier, even if the
  // value holds one; and the two bytes after a QoS 0 topic are payload, not an identifier.
  EXPECT_EQ(encoded(publish{false, 0, false, "t", 7, {}, "x"}, pv::v311), (bytes{0x30, 0x04, 0x00, 0x01, 't', 'x'}));
  EXPECT_EQ(encoded(publish{false, 0, false, "t", 7, {}, "x"}, pv::v5), (bytes{0x30, 0x05, 0x00, 0x01, 't', 0x00, 'x'}));
  std::string out;
  encode_publish(publish_view{false, 0, false, "t", 7, nullptr, "x"}, pv::v311, out);
  EXPECT_EQ(out, std::string("\x30\x04\x00\x01tx", 6));
  const auto p = decode_as<publish>(pkt(0x30, cat({str("t"), u16(7), {'x'}})), pv::v311);
  EXPECT_EQ(p.packet_id, 0);
  EXPECT_EQ(p.payload, std::string("\x00\x07x", 3));
}

TEST(ComplianceCodecTest, NoPropertiesIsAPropertyLengthOfZero) {
  // 5.0:MQTT-2.2.2-1: a packet with a Properties field and no property has Property Length 0.
  EXPECT_EQ(encoded(connack{false, 0, {}}, pv::v5), (bytes{0x20, 0x03, 0x00, 0x00, 0x00}));
  EXPECT_EQ(encoded(publish{false, 1, false, "t", 5, {}, "x"}, pv::v5),
            (bytes{0x32, 0x07, 0x00, 0x01, 't', 0x00, 0x05, 0x00, 'x'}));
  EXPECT_EQ(encoded(suback{9, {}, {0x02}}, pv::v5), (bytes{0x90, 0x04, 0x00, 0x09, 0x00, 0x02}));
  EXPECT_EQ(encoded(unsuback{9, {}, {0x00}}, pv::v5), (bytes{0xB0, 0x04, 0x00, 0x09, 0x00, 0x00}));
  EXPECT_EQ(encoded(subscribe{9, {}, {{"t", 1, false, false, 0}}}, pv::v5),
            (bytes{0x82, 0x07, 0x00, 0x09, 0x00, 0x00, 0x01, 't', 0x01}));
  // Acknowledgements and DISCONNECT may leave out the Properties field entirely (their sections
  // 3.4.2.2.1 etc.); when a reason code is written without properties, no stray length follows.
  EXPECT_EQ(encoded(pubrel{9, 0x92, {}}, pv::v5), (bytes{0x62, 0x03, 0x00, 0x09, 0x92}));
  EXPECT_EQ(encoded(disconnect{0x8E, {}}, pv::v5), (bytes{0xE0, 0x01, 0x8E}));
  // Decoding: Property Length 0 means no properties.
  const auto c = decode_as<connack>({0x20, 0x03, 0x01, 0x00, 0x00}, pv::v5);
  EXPECT_EQ(c.props, properties{});
}

TEST(ComplianceCodecTest, TopicsUpTo65535Bytes) {
  // 3.1.1:MQTT-4.7.3-3 5.0:MQTT-4.7.3-3: a Topic Name or Filter of 65,535 bytes (the most a
  // UTF-8 string field holds) is valid and survives decoding and encoding unchanged.
  const std::string topic = "a/" + std::string(65533, 'x');
  ASSERT_EQ(topic.size(), 65535u);
  const bytes wire311 = pkt(0x30, cat({str(topic), {'p'}}));
  EXPECT_EQ(decode_as<publish>(wire311, pv::v311).topic, topic);
  EXPECT_EQ(decode_as<publish>(pkt(0x30, cat({str(topic), {0x00}, {'p'}})), pv::v5).topic, topic);
  EXPECT_EQ(encoded(publish{false, 0, false, topic, 0, {}, "p"}, pv::v311), wire311);
  const auto s = decode_as<subscribe>(pkt(0x82, cat({u16(1), str(topic.substr(0, 65533) + "/#"), {0x01}})), pv::v311);
  ASSERT_EQ(s.subscriptions.size(), 1u);
  EXPECT_EQ(s.subscriptions[0].filter.size(), 65535u);
}

TEST(ComplianceCodecTest, ConnectPayloadFieldsFollowTheFlagsInOrder) {
  // 3.1.1:MQTT-3.1.3-1 5.0:MQTT-3.1.3-1 3.1.1:MQTT-3.1.2-9 5.0:MQTT-3.1.2-9: every field present,
  // read in the order Client Identifier, [Will Properties,] Will Topic, Will Payload, User Name,
  // Password.
  const auto c4 = decode_as<connect>(
      pkt(0x10, cat({connect_header(4, 0xF6), str("cid"), str("w/t"), str("wm"), str("user"), str("pass")})), pv::v311);
  EXPECT_EQ(c4.client_id, "cid");
  ASSERT_TRUE(c4.will.has_value());
  EXPECT_EQ(c4.will->topic, "w/t");
  EXPECT_EQ(c4.will->payload, "wm");
  EXPECT_EQ(c4.will->qos, 2);
  EXPECT_TRUE(c4.will->retain);
  EXPECT_EQ(c4.username, "user");
  EXPECT_EQ(c4.password, "pass");
  const bytes will_props = {0x05, 0x18, 0x00, 0x00, 0x00, 0x05};  // Will Delay Interval 5
  const auto c5 = decode_as<connect>(
      pkt(0x10, cat({connect_header(5, 0xCE), {0x00}, str("cid"), will_props, str("w/t"), str("wm"), str("user"),
                     str("pass")})),
      pv::v5);
  EXPECT_EQ(c5.client_id, "cid");
  ASSERT_TRUE(c5.will.has_value());
  EXPECT_EQ(c5.will->props.will_delay_interval, 5u);
  EXPECT_EQ(c5.will->topic, "w/t");
  EXPECT_EQ(c5.will->payload, "wm");
  EXPECT_EQ(c5.will->qos, 1);
  EXPECT_EQ(c5.username, "user");
  EXPECT_EQ(c5.password, "pass");
}

TEST(ComplianceCodecTest, ConnectPayloadMustMatchTheFlags) {
  // 3.1.1:MQTT-3.1.2-9 3.1.1:MQTT-3.1.2-11 3.1.1:MQTT-3.1.2-18 3.1.1:MQTT-3.1.2-19
  // 3.1.1:MQTT-3.1.2-20 3.1.1:MQTT-3.1.2-21 3.1.1:MQTT-3.1.3-3 5.0:MQTT-3.1.2-9 5.0:MQTT-3.1.2-11
  // 5.0:MQTT-3.1.2-13 5.0:MQTT-3.1.2-16 5.0:MQTT-3.1.2-17 5.0:MQTT-3.1.2-18 5.0:MQTT-3.1.2-19
  // 5.0:MQTT-3.1.3-3: a field the flags announce must be there, one they do not must not.
  struct c {
    const char* what;
    std::uint8_t flags;
    bytes payload;  // after the Client Identifier ("c"); 5.0 will fields include the properties
    bool with_client_id = true;
  };
  for (pv v : {pv::v311, pv::v5}) {
    const bytes wp = v == pv::v5 ? bytes{0x00} : bytes{};
    const std::vector<c> cases = {
        {"will flag, no will fields", 0x06, {}},
        {"will flag, no will payload", 0x06, cat({wp, str("w")})},
        {"will fields, no will flag", 0x02, cat({wp, str("w"), str("m")})},
        {"will QoS 1, no will flag", 0x0A, {}},
        {"will retain, no will flag", 0x22, {}},
        {"user name flag, no user name", 0x82, {}},
        {"user name, no flag", 0x02, str("u")},
        {"password flag, no password", 0xC2, str("u")},
        {"password, no flag", 0x82, cat({str("u"), str("p")})},
        {"no client identifier", 0x02, {}, false},
    };
    for (const auto& k : cases) {
      SCOPED_TRACE(std::string(k.what) + (v == pv::v5 ? " (5.0)" : " (3.1.1)"));
      const bytes header = connect_header(static_cast<std::uint8_t>(v), k.flags);
      const bytes body = cat({header, v == pv::v5 ? bytes{0x00} : bytes{}, k.with_client_id ? str("c") : bytes{},
                              k.payload});
      EXPECT_EQ(error_of(pkt(0x10, body), v), reason_code::malformed_packet);
    }
  }
}

}  // namespace
}  // namespace ternmq::codec
