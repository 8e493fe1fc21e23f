// Tests for the wire primitives (MQTT 5.0 section 1.5): variable byte integers at every size
// boundary, the UTF-8 rules of MQTT-1.5.4, big-endian integers and the latching `wire_reader`.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "broker/codec/reason_code.hpp"
#include "broker/codec/wire.hpp"

namespace ternmq::codec {
namespace {

using bytes = std::vector<std::uint8_t>;

bytes to_bytes(const std::string& s) { return bytes(s.begin(), s.end()); }

// --- variable byte integers ---------------------------------------------------------------

struct varint_case {
  std::uint32_t value;
  bytes encoded;
};

// The boundaries of table 1.1 in MQTT 5.0 section 1.5.5, plus zero.
const std::vector<varint_case> k_varint_cases = {
    {0, {0x00}},
    {127, {0x7F}},
    {128, {0x80, 0x01}},
    {16'383, {0xFF, 0x7F}},
    {16'384, {0x80, 0x80, 0x01}},
    {2'097'151, {0xFF, 0xFF, 0x7F}},
    {2'097'152, {0x80, 0x80, 0x80, 0x01}},
    {k_max_varint, {0xFF, 0xFF, 0xFF, 0x7F}},  // 268,435,455
};

TEST(VarintTest, EncodesBoundariesInMinimalBytes) {
  for (const auto& c : k_varint_cases) {
    SCOPED_TRACE(c.value);
    std::string out;
    wire_writer w(out);
    w.varint(c.value);
    EXPECT_EQ(to_bytes(out), c.encoded);
    EXPECT_EQ(varint_size(c.value), c.encoded.size());
  }
}

TEST(VarintTest, DecodesBoundaries) {
  for (const auto& c : k_varint_cases) {
    SCOPED_TRACE(c.value);
    wire_reader r(c.encoded.data(), c.encoded.size());
    EXPECT_EQ(r.varint(), c.value);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.remaining(), 0u);
  }
}

TEST(VarintTest, RejectsOverlongEncodings) {
  // 5.0:MQTT-1.5.5-1
  // MQTT-1.5.5-1: the encoding must use the minimum number of bytes.
  const std::vector<bytes> overlong = {
      {0x80, 0x00},              // 0 in two bytes
      {0xFF, 0x00},              // 127 in two bytes
      {0x80, 0x80, 0x00},        // 0 in three bytes
      {0x80, 0x81, 0x00},        // 128 in three bytes
      {0xFF, 0xFF, 0x80, 0x00},  // 16383 in four bytes
  };
  for (const auto& b : overlong) {
    SCOPED_TRACE(testing::PrintToString(b));
    wire_reader r(b.data(), b.size());
    r.varint();
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.failure(), reason_code::malformed_packet);
  }
}

TEST(VarintTest, RejectsFiveByteEncoding) {
  const bytes b = {0xFF, 0xFF, 0xFF, 0xFF, 0x01};
  wire_reader r(b.data(), b.size());
  EXPECT_EQ(r.varint(), 0u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.failure(), reason_code::malformed_packet);
}

TEST(VarintTest, RejectsTruncatedEncoding) {
  const bytes b = {0x80, 0x80};
  wire_reader r(b.data(), b.size());
  r.varint();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.failure(), reason_code::malformed_packet);
}

// --- UTF-8 -----------------------------------------------------------------------------------

struct utf8_case {
  const char* what;
  std::string text;
  bool valid;
};

const std::vector<utf8_case> k_utf8_cases = {
    {"empty", "", true},
    {"ascii", "sensors/kitchen", true},
    {"two-byte U+00E9", "caf\xC3\xA9", true},
    {"three-byte U+20AC", "\xE2\x82\xAC", true},
    {"four-byte U+1F600", "\xF0\x9F\x98\x80", true},
    {"last code point U+10FFFF", "\xF4\x8F\xBF\xBF", true},
    {"U+D7FF just below the surrogates", "\xED\x9F\xBF", true},
    {"U+E000 just above the surrogates", "\xEE\x80\x80", true},
    {"U+FEFF byte order mark is kept", "\xEF\xBB\xBF" "a", true},
    {"U+0000", std::string("a\0b", 3), false},
    {"U+0000 alone", std::string(1, '\0'), false},
    {"surrogate U+D800", "\xED\xA0\x80", false},
    {"surrogate U+DBFF", "\xED\xAF\xBF", false},
    {"surrogate U+DC00", "\xED\xB0\x80", false},
    {"surrogate U+DFFF", "\xED\xBF\xBF", false},
    {"overlong '/' in two bytes", "\xC0\xAF", false},
    {"overlong U+0000 in two bytes", "\xC0\x80", false},
    {"overlong U+007F in two bytes (C1)", "\xC1\xBF", false},
    {"overlong U+07FF in three bytes", "\xE0\x9F\xBF", false},
    {"overlong U+FFFF in four bytes", "\xF0\x8F\xBF\xBF", false},
    {"truncated two-byte", "a\xC3", false},
    {"truncated three-byte", "\xE2\x82", false},
    {"truncated four-byte", "\xF0\x9F\x98", false},
    {"continuation byte first", "\x80" "a", false},
    {"continuation missing", "\xC3" "a", false},
    {"above U+10FFFF (U+110000)", "\xF4\x90\x80\x80", false},
    {"F5 lead byte", "\xF5\x80\x80\x80", false},
    {"F8 five-byte lead", "\xF8\x88\x80\x80\x80", false},
    {"FF byte", "\xFF", false},
};

TEST(Utf8Test, ValidatesPerMqttRules) {
  // 3.1.1:MQTT-1.5.3-1 3.1.1:MQTT-1.5.3-2 5.0:MQTT-1.5.4-1 5.0:MQTT-1.5.4-2
  for (const auto& c : k_utf8_cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(is_valid_mqtt_utf8(c.text), c.valid);
  }
}

TEST(Utf8Test, ReaderRejectsInvalidStringWithMalformedPacket) {
  for (const auto& c : k_utf8_cases) {
    SCOPED_TRACE(c.what);
    std::string encoded;
    wire_writer(encoded).utf8(c.text);
    const bytes b = to_bytes(encoded);
    wire_reader r(b.data(), b.size());
    const std::string got = r.utf8();
    EXPECT_EQ(r.ok(), c.valid);
    if (c.valid) {
      EXPECT_EQ(got, c.text);
    } else {
      EXPECT_EQ(r.failure(), reason_code::malformed_packet);
    }
  }
}

TEST(Utf8Test, BinaryDataIsNotValidated) {
  const std::string raw("\x00\xFF\xED\xA0\x80", 5);
  std::string encoded;
  wire_writer(encoded).binary(raw);
  const bytes b = to_bytes(encoded);
  wire_reader r(b.data(), b.size());
  EXPECT_EQ(r.binary(), raw);
  EXPECT_TRUE(r.ok());
}

TEST(Utf8Test, WriterPrefixesBigEndianLength) {
  std::string out;
  wire_writer(out).utf8(std::string(300, 'x'));
  ASSERT_EQ(out.size(), 302u);
  EXPECT_EQ(static_cast<std::uint8_t>(out[0]), 0x01);
  EXPECT_EQ(static_cast<std::uint8_t>(out[1]), 0x2C);
}

TEST(Utf8Test, StringLongerThanInputFails) {
  const bytes b = {0x00, 0x05, 'a', 'b'};
  wire_reader r(b.data(), b.size());
  r.utf8();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.failure(), reason_code::malformed_packet);
}

// --- integers and the latching reader ---------------------------------------------------------

TEST(WireReaderTest, ReadsBigEndianIntegers) {
  const bytes b = {0xAB, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF};
  wire_reader r(b.data(), b.size());
  EXPECT_EQ(r.u8(), 0xAB);
  EXPECT_EQ(r.u16(), 0x1234);
  EXPECT_EQ(r.u32(), 0xDEADBEEFu);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(WireWriterTest, WritesBigEndianIntegers) {
  std::string out;
  wire_writer w(out);
  w.u8(0xAB);
  w.u16(0x1234);
  w.u32(0xDEADBEEF);
  EXPECT_EQ(to_bytes(out), (bytes{0xAB, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF}));
}

TEST(WireReaderTest, FirstFailureLatches) {
  const bytes b = {0x01, 0x02, 0x03};
  wire_reader r(b.data(), b.size());
  EXPECT_EQ(r.u32(), 0u);  // too short
  EXPECT_FALSE(r.ok());
  // Reads that would have fitted before the failure now fail too.
  EXPECT_EQ(r.u8(), 0u);
  EXPECT_EQ(r.remaining(), 0u);
  EXPECT_EQ(r.rest(), "");
  // A later, different failure does not replace the first one.
  r.fail(reason_code::protocol_error, "second");
  EXPECT_EQ(r.failure(), reason_code::malformed_packet);
  EXPECT_STREQ(r.failure_text(), "packet shorter than its fields");
}

TEST(WireReaderTest, TakeConsumesASubReader) {
  const bytes b = {0x01, 0x02, 0x03, 0x04};
  wire_reader r(b.data(), b.size());
  wire_reader sub = r.take(3);
  EXPECT_EQ(sub.remaining(), 3u);
  EXPECT_EQ(r.remaining(), 1u);
  EXPECT_EQ(sub.u16(), 0x0102);
  EXPECT_EQ(sub.u16(), 0u);  // past the sub-reader's end even though the parent has more
  EXPECT_FALSE(sub.ok());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.u8(), 0x04);
}

TEST(WireReaderTest, TakeBeyondInputFailsBoth) {
  const bytes b = {0x01, 0x02};
  wire_reader r(b.data(), b.size());
  wire_reader sub = r.take(3);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(sub.ok());
  EXPECT_EQ(sub.failure(), reason_code::malformed_packet);
  EXPECT_EQ(sub.remaining(), 0u);
}

TEST(WireReaderTest, RestReturnsEverythingLeft) {
  const bytes b = {0x00, 'h', 'i'};
  wire_reader r(b.data(), b.size());
  r.u8();
  EXPECT_EQ(r.rest(), "hi");
  EXPECT_EQ(r.remaining(), 0u);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.rest(), "");  // nothing left the second time
}

// --- reason codes --------------------------------------------------------------------------

TEST(ReasonCodeTest, MapsToV311ConnackReturnCodes) {
  EXPECT_EQ(to_connack_return_code(reason_code::success), connack_return_code::accepted);
  EXPECT_EQ(to_connack_return_code(reason_code::unsupported_protocol_version),
            connack_return_code::unacceptable_protocol_version);
  EXPECT_EQ(to_connack_return_code(reason_code::client_identifier_not_valid), connack_return_code::identifier_rejected);
  EXPECT_EQ(to_connack_return_code(reason_code::bad_user_name_or_password),
            connack_return_code::bad_user_name_or_password);
  EXPECT_EQ(to_connack_return_code(reason_code::not_authorized), connack_return_code::not_authorized);
  EXPECT_EQ(to_connack_return_code(reason_code::banned), connack_return_code::not_authorized);
  EXPECT_EQ(to_connack_return_code(reason_code::server_busy), connack_return_code::server_unavailable);
}

TEST(ReasonCodeTest, NamesKnownCodesAndFlagsUnknownOnes) {
  EXPECT_EQ(to_string(reason_code::malformed_packet), "malformed packet");
  EXPECT_EQ(to_string(reason_code::topic_name_invalid), "topic name invalid");
  EXPECT_EQ(to_string(static_cast<reason_code>(0x03)), "unknown reason code");
}

}  // namespace
}  // namespace ternmq::codec
