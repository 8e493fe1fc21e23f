// Tests for `parse_frame` and `decode_packet` on hand-written byte arrays: each malformed input
// with the reason code the decoder must report (MQTT 5.0 section 4.13 and the 3.1.1 rules), and
// the property table of MQTT 5.0 section 2.2.2.2.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "broker/codec/decoder.hpp"
#include "broker/codec/properties.hpp"
#include "codec_test_support.hpp"

namespace ternmq::codec {
namespace {

using namespace test_support;
using ctx = property_context;

// CONNECT variable header up to the keep alive.
bytes connect_header(std::string_view name, std::uint8_t level, std::uint8_t flags) {
  return cat({str(name), {level, flags}, u16(60)});
}

// --- fixed header ----------------------------------------------------------------------------

TEST(ParseFrameTest, NeedsAtLeastTwoBytes) {
  frame f;
  const bytes b = {0xC0, 0x00};
  EXPECT_EQ(parse_frame(b.data(), 0, f), frame_status::need_more);
  EXPECT_EQ(parse_frame(b.data(), 1, f), frame_status::need_more);
  ASSERT_EQ(parse_frame(b.data(), 2, f), frame_status::complete);
  EXPECT_EQ(f.type, 12);
  EXPECT_EQ(f.flags, 0);
  EXPECT_EQ(f.remaining_length, 0u);
  EXPECT_EQ(f.header_size, 2u);
}

TEST(ParseFrameTest, ReadsMaximumRemainingLengthWithoutTheBody) {
  const bytes b = {0x3B, 0xFF, 0xFF, 0xFF, 0x7F};
  frame f;
  ASSERT_EQ(parse_frame(b.data(), b.size(), f), frame_status::complete);
  EXPECT_EQ(f.type, 3);
  EXPECT_EQ(f.flags, 0x0B);
  EXPECT_EQ(f.remaining_length, 268'435'455u);
  EXPECT_EQ(f.header_size, 5u);
  EXPECT_EQ(f.total_size(), 268'435'460u);
}

TEST(ParseFrameTest, WaitsForTheRestOfTheRemainingLength) {
  const bytes b = {0x30, 0x80, 0x80};
  frame f;
  EXPECT_EQ(parse_frame(b.data(), b.size(), f), frame_status::need_more);
}

TEST(ParseFrameTest, RejectsFiveByteRemainingLength) {
  const bytes b = {0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
  frame f;
  EXPECT_EQ(parse_frame(b.data(), b.size(), f), frame_status::malformed);
}

TEST(ParseFrameTest, RejectsOverlongRemainingLength) {
  for (const bytes& b : {bytes{0x30, 0x80, 0x00}, bytes{0x30, 0x85, 0x80, 0x00}, bytes{0xC0, 0x80, 0x80, 0x80, 0x00}}) {
    SCOPED_TRACE(testing::PrintToString(b));
    frame f;
    EXPECT_EQ(parse_frame(b.data(), b.size(), f), frame_status::malformed);
  }
}

TEST(DecoderTest, RemainingLengthShorterThanTheFields) {
  EXPECT_EQ(error_of({0x40, 0x01, 0x00}, pv::v311), reason_code::malformed_packet);  // PUBACK, half an id
  EXPECT_EQ(error_of({0x32, 0x03, 0x00, 0x01, 'a'}, pv::v311), reason_code::malformed_packet);  // no packet id
  EXPECT_EQ(error_of({0x30, 0x01, 0x00}, pv::v5), reason_code::malformed_packet);
}

TEST(DecoderTest, RemainingLengthLongerThanTheFields) {
  EXPECT_EQ(error_of({0x40, 0x03, 0x00, 0x01, 0x00}, pv::v311), reason_code::malformed_packet);
  EXPECT_EQ(error_of({0x20, 0x03, 0x00, 0x00, 0x00}, pv::v311), reason_code::malformed_packet);  // CONNACK
  EXPECT_EQ(error_of({0xB0, 0x03, 0x00, 0x01, 0x00}, pv::v311), reason_code::malformed_packet);  // UNSUBACK
  EXPECT_EQ(error_of({0xE0, 0x01, 0x00}, pv::v311), reason_code::malformed_packet);              // DISCONNECT
  EXPECT_EQ(error_of({0xE0, 0x03, 0x00, 0x00, 0x00}, pv::v5), reason_code::malformed_packet);
  EXPECT_EQ(error_of({0x40, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00}, pv::v5), reason_code::malformed_packet);
}

TEST(DecoderTest, RejectsPacketTypeZero) {
  for (std::uint8_t flags = 0; flags < 16; ++flags) {
    const auto r = decode({flags, 0x00}, pv::v5);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, reason_code::malformed_packet);
    EXPECT_EQ(r.err().what, "reserved packet type 0");
  }
}

struct fixed_flags_case {
  packet_type type;
  std::uint8_t required;
  bytes body;  // a valid 5.0 body, so that only the flags can make it fail
};

TEST(DecoderTest, RejectsReservedFixedHeaderFlagsOfEveryType) {
  // 5.0:MQTT-2.1.3-1 5.0:MQTT-3.6.1-1 5.0:MQTT-3.8.1-1 5.0:MQTT-3.10.1-1 5.0:MQTT-3.14.1-1 5.0:MQTT-3.15.1-1
  const std::vector<fixed_flags_case> cases = {
      {packet_type::connect, 0, cat({connect_header("MQTT", 5, 0x02), props({}), str("c")})},
      {packet_type::connack, 0, {0x00, 0x00, 0x00}},
      {packet_type::puback, 0, {0x00, 0x01}},
      {packet_type::pubrec, 0, {0x00, 0x01}},
      {packet_type::pubrel, 2, {0x00, 0x01}},
      {packet_type::pubcomp, 0, {0x00, 0x01}},
      {packet_type::subscribe, 2, cat({u16(1), props({}), str("a"), {0x00}})},
      {packet_type::suback, 0, {0x00, 0x01, 0x00, 0x00}},
      {packet_type::unsubscribe, 2, cat({u16(1), props({}), str("a")})},
      {packet_type::unsuback, 0, {0x00, 0x01, 0x00}},
      {packet_type::pingreq, 0, {}},
      {packet_type::pingresp, 0, {}},
      {packet_type::disconnect, 0, {}},
      {packet_type::auth, 0, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(to_string(c.type));
    const auto type_bits = static_cast<std::uint8_t>(static_cast<unsigned>(c.type) << 4);
    EXPECT_EQ(error_of(pkt(type_bits | c.required, c.body), pv::v5), reason_code::success);
    for (std::uint8_t flags = 0; flags < 16; ++flags) {
      if (flags == c.required) continue;
      const auto r = decode(pkt(type_bits | flags, c.body), pv::v5);
      ASSERT_FALSE(r) << "flags " << int{flags};
      EXPECT_EQ(r.err().code, reason_code::malformed_packet);
      EXPECT_EQ(r.err().what, "reserved fixed header flags");
    }
  }
}

TEST(DecoderTest, V31AllowsDupOnRetriedPubrelSubscribeUnsubscribe) {
  // MQTT 3.1 sets DUP when it re-sends these; 3.1.1 and 5.0 fix the flags at 0b0010.
  const bytes pubrel_dup = {0x6A, 0x02, 0x00, 0x01};
  const bytes subscribe_dup = pkt(0x8A, cat({u16(1), str("a"), {0x01}}));
  const bytes unsubscribe_dup = pkt(0xAA, cat({u16(1), str("a")}));
  for (const bytes& b : {pubrel_dup, subscribe_dup, unsubscribe_dup}) {
    SCOPED_TRACE(testing::PrintToString(b));
    EXPECT_EQ(error_of(b, pv::v31), reason_code::success);
    EXPECT_EQ(error_of(b, pv::v311), reason_code::malformed_packet);
  }
  // Only DUP: other flag bits stay reserved in 3.1 too.
  EXPECT_EQ(error_of(pkt(0x8B, cat({u16(1), str("a"), {0x01}})), pv::v31), reason_code::malformed_packet);
  EXPECT_EQ(error_of(pkt(0x88, cat({u16(1), str("a"), {0x01}})), pv::v31), reason_code::malformed_packet);
  EXPECT_EQ(error_of({0x48, 0x02, 0x00, 0x01}, pv::v31), reason_code::malformed_packet);  // PUBACK has no DUP
}

TEST(DecoderTest, PingWithBodyIsMalformed) {
  EXPECT_EQ(error_of({0xC0, 0x01, 0x00}, pv::v311), reason_code::malformed_packet);
  EXPECT_EQ(error_of({0xD0, 0x01, 0x00}, pv::v5), reason_code::malformed_packet);
}

// --- PUBLISH ---------------------------------------------------------------------------------

TEST(DecoderTest, PublishQos3IsMalformed) {
  // 3.1.1:MQTT-3.3.1-4 5.0:MQTT-3.3.1-4
  EXPECT_EQ(error_of(pkt(0x36, cat({str("a"), u16(1)})), pv::v311), reason_code::malformed_packet);
  EXPECT_EQ(error_of(pkt(0x37, cat({str("a"), u16(1), props({})})), pv::v5), reason_code::malformed_packet);
}

TEST(DecoderTest, DupOnQos0IsMalformed) {
  // 3.1.1:MQTT-3.3.1-2 5.0:MQTT-3.3.1-2
  EXPECT_EQ(error_of(pkt(0x38, str("a")), pv::v311), reason_code::malformed_packet);
  EXPECT_EQ(error_of(pkt(0x39, cat({str("a"), props({})})), pv::v5), reason_code::malformed_packet);
}

TEST(DecoderTest, DupOnQos1IsAccepted) {
  const auto p = decode_as<publish>(pkt(0x3A, cat({str("a"), u16(1)})), pv::v311);
  EXPECT_TRUE(p.dup);
  EXPECT_EQ(p.qos, 1);
}

TEST(DecoderTest, WildcardInPublishTopicIsTopicNameInvalid) {
  // 3.1.1:MQTT-3.3.2-2 3.1.1:MQTT-4.7.1-1 5.0:MQTT-3.3.2-2 5.0:MQTT-4.7.0-1
  for (std::string_view topic : {"a/+", "a/#", "+", "#", "a+b"}) {
    SCOPED_TRACE(topic);
    EXPECT_EQ(error_of(pkt(0x30, cat({str(topic), {'x'}})), pv::v311), reason_code::topic_name_invalid);
    EXPECT_EQ(error_of(pkt(0x30, cat({str(topic), props({}), {'x'}})), pv::v5), reason_code::topic_name_invalid);
  }
}

TEST(DecoderTest, EmptyPublishTopic) {
  EXPECT_EQ(error_of(pkt(0x30, str("")), pv::v311), reason_code::malformed_packet);
  EXPECT_EQ(error_of(pkt(0x30, cat({str(""), props({})})), pv::v5), reason_code::protocol_error);
  // 5.0: an empty topic with a Topic Alias refers to the alias.
  const auto p = decode_as<publish>(pkt(0x30, cat({str(""), props({0x23, 0x00, 0x01})})), pv::v5);
  EXPECT_EQ(p.props.topic_alias, 1);
}

TEST(DecoderTest, InvalidUtf8InPublishTopic) {
  // 3.1.1:MQTT-3.3.2-1 3.1.1:MQTT-4.7.3-2 5.0:MQTT-3.3.2-1
  EXPECT_EQ(error_of(pkt(0x30, str("a/\xED\xA0\x80")), pv::v311), reason_code::malformed_packet);
  EXPECT_EQ(error_of(pkt(0x30, str(std::string_view("a\0b", 3))), pv::v311), reason_code::malformed_packet);
  EXPECT_EQ(error_of(pkt(0x30, cat({str("\xC0\xAF"), props({})})), pv::v5), reason_code::malformed_packet);
}

TEST(DecoderTest, PublishPayloadIsNotValidated) {
  const auto p = decode_as<publish>(pkt(0x30, cat({str("t"), {0x00, 0xFF, 0xED, 0xA0, 0x80}})), pv::v311);
  EXPECT_EQ(p.payload, std::string("\x00\xFF\xED\xA0\x80", 5));
}

// --- packet identifiers ----------------------------------------------------------------------

TEST(DecoderTest, PacketIdentifierZeroIsRejected) {
  // 3.1.1:MQTT-2.3.1-1
  for (pv v : {pv::v311, pv::v5}) {
    const bytes p5 = v == pv::v5 ? props({}) : bytes{};
    SCOPED_TRACE(static_cast<int>(v));
    EXPECT_EQ(error_of(pkt(0x32, cat({str("a"), u16(0), p5})), v), reason_code::malformed_packet);
    EXPECT_EQ(error_of(pkt(0x34, cat({str("a"), u16(0), p5})), v), reason_code::malformed_packet);
    EXPECT_EQ(error_of(pkt(0x82, cat({u16(0), p5, str("a"), {0x00}})), v), reason_code::malformed_packet);
    EXPECT_EQ(error_of(pkt(0xA2, cat({u16(0), p5, str("a")})), v), reason_code::malformed_packet);
    EXPECT_EQ(error_of(pkt(0x40, u16(0)), v), reason_code::malformed_packet);
    EXPECT_EQ(error_of(pkt(0x50, u16(0)), v), reason_code::malformed_packet);
    EXPECT_EQ(error_of(pkt(0x62, u16(0)), v), reason_code::malformed_packet);
    EXPECT_EQ(error_of(pkt(0x70, u16(0)), v), reason_code::malformed_packet);
  }
}

// --- properties ------------------------------------------------------------------------------

// MQTT 5.0 section 2.2.2.2, written out independently of the decoder's own table.
TEST(PropertyTableTest, MatchesTheSpecification) {
  const unsigned all = (1u << 14) - 1;
  auto m = [](std::initializer_list<ctx> cs) {
    unsigned out = 0;
    for (ctx c : cs) out |= 1u << static_cast<unsigned>(c);
    return out;
  };
  const unsigned message = m({ctx::publish, ctx::will});
  const struct {
    property_id id;
    unsigned contexts;
  } table[] = {
      {property_id::payload_format_indicator, message},
      {property_id::message_expiry_interval, message},
      {property_id::content_type, message},
      {property_id::response_topic, message},
      {property_id::correlation_data, message},
      {property_id::subscription_identifier, m({ctx::publish, ctx::subscribe})},
      {property_id::session_expiry_interval, m({ctx::connect, ctx::connack, ctx::disconnect})},
      {property_id::assigned_client_identifier, m({ctx::connack})},
      {property_id::server_keep_alive, m({ctx::connack})},
      {property_id::authentication_method, m({ctx::connect, ctx::connack, ctx::auth})},
      {property_id::authentication_data, m({ctx::connect, ctx::connack, ctx::auth})},
      {property_id::request_problem_information, m({ctx::connect})},
      {property_id::will_delay_interval, m({ctx::will})},
      {property_id::request_response_information, m({ctx::connect})},
      {property_id::response_information, m({ctx::connack})},
      {property_id::server_reference, m({ctx::connack, ctx::disconnect})},
      {property_id::reason_string, m({ctx::connack, ctx::puback, ctx::pubrec, ctx::pubrel, ctx::pubcomp, ctx::suback,
                                      ctx::unsuback, ctx::disconnect, ctx::auth})},
      {property_id::receive_maximum, m({ctx::connect, ctx::connack})},
      {property_id::topic_alias_maximum, m({ctx::connect, ctx::connack})},
      {property_id::topic_alias, m({ctx::publish})},
      {property_id::maximum_qos, m({ctx::connack})},
      {property_id::retain_available, m({ctx::connack})},
      {property_id::user_property, all},
      {property_id::maximum_packet_size, m({ctx::connect, ctx::connack})},
      {property_id::wildcard_subscription_available, m({ctx::connack})},
      {property_id::subscription_identifier_available, m({ctx::connack})},
      {property_id::shared_subscription_available, m({ctx::connack})},
  };
  for (const auto& row : table) {
    for (unsigned c = 0; c < 14; ++c) {
      const bool expected = (row.contexts >> c) & 1u;
      EXPECT_EQ(allowed_in(row.id, static_cast<ctx>(c)), expected)
          << "property 0x" << std::hex << static_cast<int>(row.id) << " context " << std::dec << c;
    }
  }
}

bytes publish_v5_with(const bytes& property_content) {
  return pkt(0x30, cat({str("t"), props(property_content), {'x'}}));
}

TEST(PropertyDecodeTest, DuplicatePropertyIsProtocolError) {
  EXPECT_EQ(error_of(publish_v5_with(cat({{0x03}, str("a"), {0x03}, str("b")})), pv::v5), reason_code::protocol_error);
  EXPECT_EQ(error_of(publish_v5_with({0x01, 0x00, 0x01, 0x01}), pv::v5), reason_code::protocol_error);
  EXPECT_EQ(error_of(pkt(0x10, cat({connect_header("MQTT", 5, 0x02),
                                    props({0x11, 0, 0, 0, 1, 0x11, 0, 0, 0, 2}), str("c")})),
                     pv::v5),
            reason_code::protocol_error);
}

TEST(PropertyDecodeTest, RepeatableProperties) {
  // User properties repeat freely; a PUBLISH to a client carries one Subscription Identifier per
  // matching subscription.
  const auto p = decode_as<publish>(
      publish_v5_with(cat({{0x26}, str("k"), str("1"), {0x26}, str("k"), str("2"), {0x0B, 0x01, 0x0B, 0x02}})),
      pv::v5);
  EXPECT_EQ(p.props.user, (user_properties{{"k", "1"}, {"k", "2"}}));
  EXPECT_EQ(p.props.subscription_identifiers, (std::vector<std::uint32_t>{1, 2}));
}

TEST(PropertyDecodeTest, TwoSubscriptionIdentifiersInSubscribeIsProtocolError) {
  EXPECT_EQ(error_of(pkt(0x82, cat({u16(1), props({0x0B, 0x01, 0x0B, 0x02}), str("a"), {0x00}})), pv::v5),
            reason_code::protocol_error);
}

TEST(PropertyDecodeTest, PropertyNotAllowedInPacketIsMalformed) {
  // Session Expiry Interval in PUBLISH.
  EXPECT_EQ(error_of(publish_v5_with({0x11, 0, 0, 0, 1}), pv::v5), reason_code::malformed_packet);
  // Topic Alias in CONNECT.
  EXPECT_EQ(error_of(pkt(0x10, cat({connect_header("MQTT", 5, 0x02), props({0x23, 0x00, 0x01}), str("c")})), pv::v5),
            reason_code::malformed_packet);
  // Will Delay Interval in the CONNECT properties rather than the will's.
  EXPECT_EQ(error_of(pkt(0x10, cat({connect_header("MQTT", 5, 0x02), props({0x18, 0, 0, 0, 1}), str("c")})), pv::v5),
            reason_code::malformed_packet);
  // Session Expiry Interval in the will properties.
  EXPECT_EQ(error_of(pkt(0x10, cat({connect_header("MQTT", 5, 0x06), props({}), str("c"), props({0x11, 0, 0, 0, 1}),
                                    str("w"), str("x")})),
                     pv::v5),
            reason_code::malformed_packet);
  // Content Type in SUBSCRIBE, Subscription Identifier in PUBACK, Receive Maximum in DISCONNECT,
  // Session Expiry in AUTH, Reason String in PUBLISH.
  EXPECT_EQ(error_of(pkt(0x82, cat({u16(1), props(cat({{0x03}, str("t")})), str("a"), {0x00}})), pv::v5),
            reason_code::malformed_packet);
  EXPECT_EQ(error_of(pkt(0x40, cat({u16(1), {0x00}, props({0x0B, 0x01})})), pv::v5), reason_code::malformed_packet);
  EXPECT_EQ(error_of(pkt(0xE0, cat({{0x00}, props({0x21, 0x00, 0x01})})), pv::v5), reason_code::malformed_packet);
  EXPECT_EQ(error_of(pkt(0xF0, cat({{0x18}, props({0x11, 0, 0, 0, 1})})), pv::v5), reason_code::malformed_packet);
  EXPECT_EQ(error_of(publish_v5_with(cat({{0x1F}, str("r")})), pv::v5), reason_code::malformed_packet);
}

TEST(PropertyDecodeTest, UnknownPropertyIdIsMalformed) {
  for (const bytes& id : {bytes{0x00}, bytes{0x04}, bytes{0x05}, bytes{0x2B}, bytes{0x7F}, bytes{0x80, 0x01}}) {
    SCOPED_TRACE(testing::PrintToString(id));
    EXPECT_EQ(error_of(publish_v5_with(cat({id, {0x00}})), pv::v5), reason_code::malformed_packet);
  }
}

TEST(PropertyDecodeTest, OverlongPropertyIdIsMalformed) {
  // 0x26 (User Property) spelt in two bytes.
  EXPECT_EQ(error_of(publish_v5_with(cat({{0xA6, 0x00}, str("k"), str("v")})), pv::v5), reason_code::malformed_packet);
}

TEST(PropertyDecodeTest, PropertyLengthBeyondPacketIsMalformed) {
  EXPECT_EQ(error_of(pkt(0x30, cat({str("t"), {0x05, 0x01, 0x00}})), pv::v5), reason_code::malformed_packet);
}

TEST(PropertyDecodeTest, PropertyValueCutByPropertyLengthIsMalformed) {
  // Message Expiry Interval needs four bytes; the block holds two of them, the payload the rest.
  EXPECT_EQ(error_of(pkt(0x30, cat({str("t"), {0x03, 0x02, 0x00, 0x00}, {0x00, 0x01}})), pv::v5),
            reason_code::malformed_packet);
}

bytes connect_v5_with(const bytes& property_content) {
  return pkt(0x10, cat({connect_header("MQTT", 5, 0x02), props(property_content), str("c")}));
}

TEST(PropertyDecodeTest, ReceiveMaximumZeroIsProtocolError) {
  EXPECT_EQ(error_of(connect_v5_with({0x21, 0x00, 0x00}), pv::v5), reason_code::protocol_error);
  EXPECT_EQ(error_of(pkt(0x20, cat({{0x00, 0x00}, props({0x21, 0x00, 0x00})})), pv::v5), reason_code::protocol_error);
  EXPECT_EQ(error_of(connect_v5_with({0x21, 0x00, 0x01}), pv::v5), reason_code::success);
}

TEST(PropertyDecodeTest, MaximumPacketSizeZeroIsProtocolError) {
  EXPECT_EQ(error_of(connect_v5_with({0x27, 0, 0, 0, 0}), pv::v5), reason_code::protocol_error);
  EXPECT_EQ(error_of(connect_v5_with({0x27, 0, 0, 0, 1}), pv::v5), reason_code::success);
}

TEST(PropertyDecodeTest, SubscriptionIdentifierZeroIsProtocolError) {
  EXPECT_EQ(error_of(pkt(0x82, cat({u16(1), props({0x0B, 0x00}), str("a"), {0x00}})), pv::v5),
            reason_code::protocol_error);
  EXPECT_EQ(error_of(publish_v5_with({0x0B, 0x00}), pv::v5), reason_code::protocol_error);
}

TEST(PropertyDecodeTest, SubscriptionIdentifierAtTheVarintMaximum) {
  const auto s = decode_as<subscribe>(pkt(0x82, cat({u16(1), props({0x0B, 0xFF, 0xFF, 0xFF, 0x7F}), str("a"), {0x00}})),
                                      pv::v5);
  EXPECT_EQ(s.props.subscription_identifiers, (std::vector<std::uint32_t>{268'435'455}));
}

TEST(PropertyDecodeTest, BooleanPropertyOutOfRangeIsProtocolError) {
  EXPECT_EQ(error_of(connect_v5_with({0x17, 0x02}), pv::v5), reason_code::protocol_error);  // Request Problem Info
  EXPECT_EQ(error_of(connect_v5_with({0x19, 0x02}), pv::v5), reason_code::protocol_error);  // Request Response Info
  EXPECT_EQ(error_of(pkt(0x20, cat({{0x00, 0x00}, props({0x24, 0x02})})), pv::v5), reason_code::protocol_error);
}

TEST(PropertyDecodeTest, InvalidUtf8InUserPropertyIsMalformed) {
  EXPECT_EQ(error_of(publish_v5_with(cat({{0x26}, str("\xFF"), str("v")})), pv::v5), reason_code::malformed_packet);
  EXPECT_EQ(error_of(publish_v5_with(cat({{0x26}, str("k"), str("\xED\xBF\xBF")})), pv::v5),
            reason_code::malformed_packet);
  EXPECT_EQ(error_of(connect_v5_with(cat({{0x26}, str(std::string_view("\0", 1)), str("v")})), pv::v5),
            reason_code::malformed_packet);
}

TEST(PropertyDecodeTest, CorrelationDataIsBinary) {
  const auto p = decode_as<publish>(publish_v5_with(cat({{0x09}, str(std::string_view("\0\xFF", 2))})), pv::v5);
  EXPECT_EQ(p.props.correlation_data, std::string("\0\xFF", 2));
}

// --- CONNECT ---------------------------------------------------------------------------------

TEST(ConnectDecodeTest, ReservedFlagIsMalformed) {
  // 3.1.1:MQTT-3.1.2-3 5.0:MQTT-3.1.2-3
  for (pv v : {pv::v311, pv::v5}) {
    const std::uint8_t level = static_cast<std::uint8_t>(v);
    const bytes p5 = v == pv::v5 ? props({}) : bytes{};
    const auto r = decode(pkt(0x10, cat({connect_header("MQTT", level, 0x03), p5, str("c")})), v);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, reason_code::malformed_packet);
    EXPECT_EQ(r.err().connect_level, level);  // the server answers in the client's CONNACK format
  }
}

TEST(ConnectDecodeTest, WillQos3IsMalformed) {
  // 3.1.1:MQTT-3.1.2-14 5.0:MQTT-3.1.2-12
  EXPECT_EQ(error_of(pkt(0x10, cat({connect_header("MQTT", 4, 0x1E), str("c"), str("w"), str("x")})), pv::v311),
            reason_code::malformed_packet);
  const auto r = decode(pkt(0x10, cat({connect_header("MQTT", 5, 0x1E), props({}), str("c"), props({}), str("w"),
                                       str("x")})),
                        pv::v5);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, reason_code::malformed_packet);
  EXPECT_EQ(r.err().connect_level, 5);
}

TEST(ConnectDecodeTest, WillQosOrRetainWithoutWillFlagIsMalformed) {
  // 3.1.1:MQTT-3.1.2-11 3.1.1:MQTT-3.1.2-13 3.1.1:MQTT-3.1.2-15
  for (std::uint8_t flags : {0x0A, 0x12, 0x22, 0x32}) {  // will qos 1, qos 2, retain, retain + qos 2
    SCOPED_TRACE(int{flags});
    EXPECT_EQ(error_of(pkt(0x10, cat({connect_header("MQTT", 4, flags), str("c")})), pv::v311),
              reason_code::malformed_packet);
  }
}

TEST(ConnectDecodeTest, PasswordWithoutUserNameBefore5IsMalformed) {
  // 3.1.1:MQTT-3.1.2-22
  EXPECT_EQ(error_of(pkt(0x10, cat({connect_header("MQTT", 4, 0x42), str("c"), str("pw")})), pv::v311),
            reason_code::malformed_packet);
  EXPECT_EQ(error_of(pkt(0x10, cat({connect_header("MQIsdp", 3, 0x42), str("c"), str("pw")})), pv::v31),
            reason_code::malformed_packet);
}

TEST(ConnectDecodeTest, PasswordWithoutUserNameIsAllowedIn5) {
  const auto c = decode_as<connect>(pkt(0x10, cat({connect_header("MQTT", 5, 0x42), props({}), str("c"), str("pw")})),
                                    pv::v5);
  EXPECT_EQ(c.password, "pw");
  EXPECT_FALSE(c.username.has_value());
}

TEST(ConnectDecodeTest, UnknownProtocolNameIsMalformed) {
  for (std::string_view name : {"MQTX", "mqtt", "", "MQIsdpX"}) {
    SCOPED_TRACE(name);
    const auto r = decode(pkt(0x10, cat({connect_header(name, 4, 0x02), str("c")})), pv::v311);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, reason_code::malformed_packet);
  }
}

TEST(ConnectDecodeTest, UnsupportedLevelReportsTheLevel) {
  struct {
    std::string_view name;
    std::uint8_t level;
  } cases[] = {{"MQTT", 6}, {"MQTT", 3}, {"MQTT", 0}, {"MQTT", 255}, {"MQIsdp", 4}};
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.name) + " " + std::to_string(c.level));
    // The rest of the packet is deliberately garbage: the level decides before it is read.
    const auto r = decode(pkt(0x10, cat({connect_header(c.name, c.level, 0xFF), {0x01}})), pv::v311);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, reason_code::unsupported_protocol_version);
    EXPECT_EQ(r.err().connect_level, c.level);
  }
}

TEST(ConnectDecodeTest, AcceptsEachSupportedNameAndLevel) {
  EXPECT_EQ(decode_as<connect>(pkt(0x10, cat({connect_header("MQIsdp", 3, 0x02), str("c")})), pv::v311).version, pv::v31);
  EXPECT_EQ(decode_as<connect>(pkt(0x10, cat({connect_header("MQTT", 4, 0x02), str("c")})), pv::v5).version, pv::v311);
  EXPECT_EQ(decode_as<connect>(pkt(0x10, cat({connect_header("MQTT", 5, 0x02), props({}), str("c")})), pv::v311).version,
            pv::v5);
}

TEST(ConnectDecodeTest, InvalidUtf8InClientIdIsMalformed) {
  // 3.1.1:MQTT-3.1.3-4 5.0:MQTT-3.1.3-4
  const auto r = decode(pkt(0x10, cat({connect_header("MQTT", 4, 0x02), str("c\xC3")})), pv::v311);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, reason_code::malformed_packet);
  EXPECT_EQ(r.err().connect_level, 4);
  EXPECT_EQ(error_of(pkt(0x10, cat({connect_header("MQTT", 5, 0x02), props({}), str("\xED\xA0\x80")})), pv::v5),
            reason_code::malformed_packet);
}

TEST(ConnectDecodeTest, InvalidUtf8InWillTopicAndUserName) {
  // 3.1.1:MQTT-3.1.3-10 3.1.1:MQTT-3.1.3-11
  EXPECT_EQ(error_of(pkt(0x10, cat({connect_header("MQTT", 4, 0x06), str("c"), str("w\xFF"), str("x")})), pv::v311),
            reason_code::malformed_packet);
  EXPECT_EQ(error_of(pkt(0x10, cat({connect_header("MQTT", 4, 0x82), str("c"), str("u\xC0\x80")})), pv::v311),
            reason_code::malformed_packet);
}

TEST(ConnectDecodeTest, InvalidUtf8InProtocolNameIsMalformed) {
  EXPECT_EQ(error_of(pkt(0x10, cat({connect_header("MQ\xFFT", 4, 0x02), str("c")})), pv::v311),
            reason_code::malformed_packet);
}

TEST(ConnectDecodeTest, TrailingBytesAreMalformed) {
  EXPECT_EQ(error_of(pkt(0x10, cat({connect_header("MQTT", 4, 0x02), str("c"), {0x00}})), pv::v311),
            reason_code::malformed_packet);
}

TEST(ConnectDecodeTest, MissingFlaggedFieldsAreMalformed) {
  // 3.1.1:MQTT-3.1.2-9 3.1.1:MQTT-3.1.2-19
  // User name flag set, no user name.
  EXPECT_EQ(error_of(pkt(0x10, cat({connect_header("MQTT", 4, 0x82), str("c")})), pv::v311),
            reason_code::malformed_packet);
  // Will flag set, will payload missing.
  EXPECT_EQ(error_of(pkt(0x10, cat({connect_header("MQTT", 4, 0x06), str("c"), str("w")})), pv::v311),
            reason_code::malformed_packet);
}

TEST(ConnectDecodeTest, TruncatedBeforeTheLevelHasNoLevel) {
  const auto r = decode(pkt(0x10, str("MQTT")), pv::v311);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, reason_code::malformed_packet);
  EXPECT_EQ(r.err().connect_level, 0);
}

TEST(ConnectDecodeTest, VersionArgumentIsIgnored) {
  // The connection does not know its version before CONNECT; the packet decides.
  const bytes v5 = pkt(0x10, cat({connect_header("MQTT", 5, 0x02), props({0x21, 0x00, 0x05}), str("c")}));
  for (pv v : {pv::v31, pv::v311, pv::v5}) EXPECT_EQ(decode_as<connect>(v5, v).props.receive_maximum, 5);
}

TEST(ConnackDecodeTest, ReservedFlagsAreMalformed) {
  EXPECT_EQ(error_of({0x20, 0x02, 0x02, 0x00}, pv::v311), reason_code::malformed_packet);
  EXPECT_EQ(error_of({0x20, 0x03, 0x80, 0x00, 0x00}, pv::v5), reason_code::malformed_packet);
}

// --- acknowledgements ------------------------------------------------------------------------

TEST(AckDecodeTest, V5ReasonCodeAndPropertiesAreOptional) {
  const auto a = decode_as<puback>({0x40, 0x02, 0x00, 0x05}, pv::v5);
  EXPECT_EQ(a.packet_id, 5);
  EXPECT_EQ(a.reason_code, 0);
  const auto b = decode_as<pubrec>({0x50, 0x03, 0x00, 0x05, 0x10}, pv::v5);
  EXPECT_EQ(b.reason_code, 0x10);
  const auto c = decode_as<pubcomp>({0x70, 0x04, 0x00, 0x05, 0x92, 0x00}, pv::v5);
  EXPECT_EQ(c.reason_code, 0x92);
  EXPECT_EQ(c.props, properties{});
}

TEST(AckDecodeTest, V311AckWithReasonCodeIsMalformed) {
  EXPECT_EQ(error_of({0x40, 0x03, 0x00, 0x05, 0x10}, pv::v311), reason_code::malformed_packet);
}

TEST(DisconnectDecodeTest, V5ReasonCodeAndPropertiesAreOptional) {
  EXPECT_EQ(decode_as<disconnect>({0xE0, 0x00}, pv::v5).reason_code, 0);
  EXPECT_EQ(decode_as<disconnect>({0xE0, 0x01, 0x04}, pv::v5).reason_code, 0x04);
  const auto d = decode_as<disconnect>(pkt(0xE0, cat({{0x8E}, props({0x11, 0, 0, 0, 9})})), pv::v5);
  EXPECT_EQ(d.reason_code, 0x8E);
  EXPECT_EQ(d.props.session_expiry_interval, 9u);
}

// --- SUBSCRIBE / UNSUBSCRIBE -----------------------------------------------------------------

TEST(SubscribeDecodeTest, NoFiltersIsProtocolErrorIn5) {
  // 3.1.1:MQTT-3.8.3-3 3.1.1:MQTT-3.10.3-2 5.0:MQTT-3.8.3-2 5.0:MQTT-3.10.3-2
  EXPECT_EQ(error_of(pkt(0x82, cat({u16(1), props({})})), pv::v5), reason_code::protocol_error);
  EXPECT_EQ(error_of(pkt(0x82, u16(1)), pv::v311), reason_code::malformed_packet);
  EXPECT_EQ(error_of(pkt(0xA2, cat({u16(1), props({})})), pv::v5), reason_code::protocol_error);
  EXPECT_EQ(error_of(pkt(0xA2, u16(1)), pv::v311), reason_code::malformed_packet);
}

TEST(SubscribeDecodeTest, ReservedOptionBitsAreMalformed) {
  // 3.1.1:MQTT-3.8.3-4 5.0:MQTT-3.8.3-5
  for (std::uint8_t opts : {0x40, 0x80, 0xC1}) {
    SCOPED_TRACE(int{opts});
    EXPECT_EQ(error_of(pkt(0x82, cat({u16(1), props({}), str("a"), {opts}})), pv::v5), reason_code::malformed_packet);
  }
  // Before 5.0 everything above the QoS bits is reserved, No Local included.
  for (std::uint8_t opts : {0x04, 0x08, 0x10, 0x80}) {
    SCOPED_TRACE(int{opts});
    EXPECT_EQ(error_of(pkt(0x82, cat({u16(1), str("a"), {opts}})), pv::v311), reason_code::malformed_packet);
  }
}

TEST(SubscribeDecodeTest, QosThreeIsMalformed) {
  EXPECT_EQ(error_of(pkt(0x82, cat({u16(1), str("a"), {0x03}})), pv::v311), reason_code::malformed_packet);
  EXPECT_EQ(error_of(pkt(0x82, cat({u16(1), props({}), str("a"), {0x03}})), pv::v5), reason_code::malformed_packet);
}

TEST(SubscribeDecodeTest, RetainHandling3IsProtocolError) {
  EXPECT_EQ(error_of(pkt(0x82, cat({u16(1), props({}), str("a"), {0x30}})), pv::v5), reason_code::protocol_error);
}

TEST(SubscribeDecodeTest, DecodesEveryOption) {
  const auto s = decode_as<subscribe>(pkt(0x82, cat({u16(7), props({}), str("a/#"), {0x2E}, str("b"), {0x00}})), pv::v5);
  ASSERT_EQ(s.subscriptions.size(), 2u);
  EXPECT_EQ(s.subscriptions[0], (subscription_request{"a/#", 2, true, true, 2}));
  EXPECT_EQ(s.subscriptions[1], (subscription_request{"b", 0, false, false, 0}));
}

TEST(SubscribeDecodeTest, FilterWithoutOptionsByteIsMalformed) {
  EXPECT_EQ(error_of(pkt(0x82, cat({u16(1), str("a"), {0x00}, str("b")})), pv::v311), reason_code::malformed_packet);
}

TEST(SubscribeDecodeTest, InvalidUtf8InFilterIsMalformed) {
  // 3.1.1:MQTT-3.8.3-1 5.0:MQTT-3.10.3-1
  EXPECT_EQ(error_of(pkt(0x82, cat({u16(1), str("a/\xED\xA0\x80"), {0x00}})), pv::v311), reason_code::malformed_packet);
  EXPECT_EQ(error_of(pkt(0xA2, cat({u16(1), props({}), str("\xC1\x81")})), pv::v5), reason_code::malformed_packet);
}

// --- AUTH ------------------------------------------------------------------------------------

TEST(AuthDecodeTest, AuthBefore5IsMalformed) {
  EXPECT_EQ(error_of({0xF0, 0x00}, pv::v311), reason_code::malformed_packet);
  EXPECT_EQ(error_of({0xF0, 0x00}, pv::v31), reason_code::malformed_packet);
  EXPECT_EQ(error_of({0xF0, 0x00}, pv::v5), reason_code::success);
}

}  // namespace
}  // namespace ternmq::codec
