// Tests for the cluster wire primitives: byte order, length prefixes, the latched first failure,
// counts bounded by the bytes left, UTF-8 checks, and the writer refusing over-long fields.
#include "broker/cluster/wire.hpp"

#include <gtest/gtest.h>

#include <string>

#include "cluster_test_support.hpp"

namespace ternmq::cluster {
namespace {

using test_support::from_hex;
using test_support::to_hex;

TEST(WireTest, WriterBytesAreBigEndianWithLengthPrefixes) {
  std::string out;
  wire_writer w(out);
  w.u8(0xAB);
  w.u16(0x0102);
  w.u32(0x03040506);
  w.u64(0x0708090A0B0C0D0E);
  w.flag(true);
  w.text("hi");
  w.bytes32("xyz");
  w.count(2);
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(to_hex(out), "ab 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 01 00 02 68 69 00 00 00 03 78 79 7a 00 00 00 02");
}

TEST(WireTest, ReaderReadsWhatTheWriterWrote) {
  const std::string in = from_hex("ab 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 01 00 02 68 69 00 00 00 03 78 79 7a");
  wire_reader r(in);
  EXPECT_EQ(r.u8(), 0xAB);
  EXPECT_EQ(r.u16(), 0x0102);
  EXPECT_EQ(r.u32(), 0x03040506u);
  EXPECT_EQ(r.u64(), 0x0708090A0B0C0D0Eu);
  EXPECT_TRUE(r.flag());
  EXPECT_EQ(r.text(), "hi");
  EXPECT_EQ(r.bytes32(), "xyz");
  r.expect_end();
  EXPECT_TRUE(r.ok());
}

TEST(WireTest, FirstFailureLatchesAndLaterReadsReturnZero) {
  const std::string in = from_hex("00 05 61 62");  // text of 5 bytes, 2 present
  wire_reader r(in);
  EXPECT_EQ(r.text(), "");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(is(r.error(), errc::truncated));
  EXPECT_EQ(r.u8(), 0);
  r.fail(errc::invalid_value, "later");
  EXPECT_TRUE(is(r.error(), errc::truncated));  // still the first one
}

TEST(WireTest, Bytes32LengthPastTheEndIsTruncatedNotAllocated) {
  const std::string in = from_hex("ff ff ff ff 00");
  wire_reader r(in);
  EXPECT_EQ(r.bytes32(), "");
  EXPECT_TRUE(is(r.error(), errc::truncated));
}

TEST(WireTest, CountIsBoundedByTheBytesLeft) {
  {
    const std::string in = from_hex("00 00 00 02 aa bb cc dd");
    wire_reader r(in);
    EXPECT_EQ(r.count(2), 2u);  // two elements of at least 2 bytes fit in 4
    EXPECT_TRUE(r.ok());
  }
  {
    const std::string in = from_hex("00 00 00 03 aa bb cc dd");
    wire_reader r(in);
    EXPECT_EQ(r.count(2), 0u);
    EXPECT_TRUE(is(r.error(), errc::count_too_large));
  }
  {
    const std::string in = from_hex("ff ff ff ff");
    wire_reader r(in);
    EXPECT_EQ(r.count(1), 0u);
    EXPECT_TRUE(is(r.error(), errc::count_too_large));
  }
}

TEST(WireTest, FlagMustBeZeroOrOne) {
  const std::string in = from_hex("02");
  wire_reader r(in);
  r.flag();
  EXPECT_TRUE(is(r.error(), errc::invalid_value));
}

TEST(WireTest, TextRejectsMalformedUtf8AndNul) {
  for (const char* hex : {"00 01 ff", "00 02 c0 80", "00 01 00", "00 03 ed a0 80"}) {
    const std::string in = from_hex(hex);
    wire_reader r(in);
    r.text();
    EXPECT_TRUE(!r.ok() && is(r.error(), errc::invalid_utf8)) << hex;
  }
  const std::string binary = from_hex("00 02 00 ff");
  wire_reader r(binary);
  EXPECT_EQ(r.bytes16(), std::string("\x00\xFF", 2));  // bytes fields take anything
  EXPECT_TRUE(r.ok());
}

TEST(WireTest, ExpectEndFlagsTrailingBytes) {
  const std::string in = from_hex("01 02");
  wire_reader r(in);
  r.u8();
  r.expect_end();
  EXPECT_TRUE(is(r.error(), errc::trailing_bytes));
}

TEST(WireTest, WriterRefusesFieldsTooLongForTheirPrefix) {
  std::string out;
  wire_writer w(out);
  w.text(std::string(65536, 'x'));
  EXPECT_FALSE(w.ok());
  std::string fits;
  wire_writer ok(fits);
  ok.text(std::string(65535, 'x'));
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(fits.size(), 65537u);
}

}  // namespace
}  // namespace ternmq::cluster
