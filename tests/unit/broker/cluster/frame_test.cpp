// Tests for the cluster framing: exact header bytes, reassembly from chunks split anywhere, the
// size limit enforced at the header (before the body arrives), and the latched failed state.
#include "broker/cluster/frame.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "broker/cluster/error.hpp"
#include "cluster_test_support.hpp"

namespace ternmq::cluster {
namespace {

using test_support::from_hex;
using test_support::to_hex;

std::string encoded(std::uint8_t type, const std::string& payload) {
  auto f = encode_frame(type, payload);
  EXPECT_TRUE(f.has_value());
  return f ? *f : std::string();
}

TEST(FrameTest, HeaderIsBigEndianLengthOfTypeAndPayloadThenType) {
  EXPECT_EQ(to_hex(encoded(0x10, "abc")), "00 00 00 04 10 61 62 63");
  EXPECT_EQ(to_hex(encoded(0x01, "")), "00 00 00 01 01");
  const std::string big(0x010203, 'x');
  EXPECT_EQ(to_hex(encoded(0x40, big).substr(0, 5)), "00 01 02 04 40");
}

TEST(FrameTest, EncodeRefusesAFrameAboveTheLimit) {
  EXPECT_TRUE(encode_frame(1, std::string(9, 'x'), 10).has_value());  // length field 10
  auto too_big = encode_frame(1, std::string(10, 'x'), 10);          // length field 11
  ASSERT_FALSE(too_big.has_value());
  EXPECT_TRUE(is(too_big.err(), errc::frame_too_large));
}

TEST(FrameTest, DecodesSeveralFramesFromOneChunk) {
  frame_decoder d;
  auto out = d.feed(encoded(1, "one") + encoded(2, "") + encoded(3, "three"));
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, (std::vector<frame>{{1, "one"}, {2, ""}, {3, "three"}}));
  EXPECT_EQ(d.buffered(), 0u);
}

TEST(FrameTest, ReassemblesAcrossEverySplitPoint) {
  const std::string stream = encoded(1, "hello") + encoded(0x40, std::string("\x00\xFF", 2)) + encoded(2, "");
  const std::vector<frame> expected = {{1, "hello"}, {0x40, std::string("\x00\xFF", 2)}, {2, ""}};
  for (std::size_t a = 0; a <= stream.size(); ++a) {
    for (std::size_t b = a; b <= stream.size(); ++b) {
      frame_decoder d;
      std::vector<frame> got;
      for (auto chunk : {stream.substr(0, a), stream.substr(a, b - a), stream.substr(b)}) {
        auto out = d.feed(chunk);
        ASSERT_TRUE(out.has_value()) << "split " << a << "," << b;
        got.insert(got.end(), out->begin(), out->end());
      }
      EXPECT_EQ(got, expected) << "split " << a << "," << b;
      EXPECT_EQ(d.buffered(), 0u);
    }
  }
}

TEST(FrameTest, ReassemblesRandomChunkingOfManyFrames) {
  std::mt19937 rng(20240601);
  std::string stream;
  std::vector<frame> expected;
  for (int i = 0; i < 200; ++i) {
    frame f{static_cast<std::uint8_t>(rng() % 256), std::string(rng() % 300, static_cast<char>(i))};
    stream += encoded(f.type, f.payload);
    expected.push_back(std::move(f));
  }
  frame_decoder d;
  std::vector<frame> got;
  for (std::size_t pos = 0; pos < stream.size();) {
    const std::size_t n = std::min<std::size_t>(stream.size() - pos, 1 + rng() % 700);
    auto out = d.feed(std::string_view(stream).substr(pos, n));
    ASSERT_TRUE(out.has_value());
    got.insert(got.end(), out->begin(), out->end());
    pos += n;
  }
  EXPECT_EQ(got, expected);
}

TEST(FrameTest, HoldsAnIncompleteFrameUntilTheRestArrives) {
  frame_decoder d;
  const std::string f = encoded(7, "payload");
  auto first = d.feed(f.substr(0, 3));
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(first->empty());
  EXPECT_EQ(d.buffered(), 3u);
  auto second = d.feed(f.substr(3, 4));
  ASSERT_TRUE(second.has_value());
  EXPECT_TRUE(second->empty());
  auto third = d.feed(f.substr(7));
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(*third, (std::vector<frame>{{7, "payload"}}));
}

TEST(FrameTest, RefusesATooLargeLengthBeforeTheBodyArrives) {
  frame_decoder d(1000);
  // A header announcing 4 GiB, with no body: refused at once, nothing allocated for it.
  auto out = d.feed(from_hex("ff ff ff ff 40"));
  ASSERT_FALSE(out.has_value());
  EXPECT_TRUE(is(out.err(), errc::frame_too_large));
  EXPECT_TRUE(d.failed());
  EXPECT_EQ(d.buffered(), 0u);
}

TEST(FrameTest, AcceptsExactlyTheLimit) {
  frame_decoder d(10);
  auto ok = d.feed(encoded(1, std::string(9, 'x')));
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->size(), 1u);
  auto bad = d.feed(from_hex("00 00 00 0b"));
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(is(bad.err(), errc::frame_too_large));
}

TEST(FrameTest, RefusesAZeroLength) {
  frame_decoder d;
  auto out = d.feed(from_hex("00 00 00 00"));
  ASSERT_FALSE(out.has_value());
  EXPECT_TRUE(is(out.err(), errc::empty_frame));
}

TEST(FrameTest, StaysFailedAfterAMalformedStream) {
  frame_decoder d(100);
  ASSERT_FALSE(d.feed(from_hex("00 00 10 00")).has_value());
  // Even a well-formed frame is refused now: the stream position is lost.
  auto later = d.feed(encoded(1, "fine"));
  ASSERT_FALSE(later.has_value());
  EXPECT_TRUE(is(later.err(), errc::decoder_failed));
  EXPECT_NE(later.err().message.find("exceeds the limit"), std::string::npos);
}

TEST(FrameTest, FramesBeforeTheBadHeaderInTheSameChunkAreNotReturned) {
  // The chunk fails as a whole: the link closes, so partial results would only mislead.
  frame_decoder d(100);
  auto out = d.feed(encoded(1, "ok") + from_hex("00 00 00 00"));
  EXPECT_FALSE(out.has_value());
}

TEST(FrameTest, RaisedLimitAppliesToLaterFrames) {
  frame_decoder d(k_handshake_max_frame_size);
  const std::string big = encoded(0x40, std::string(k_handshake_max_frame_size, 'p'));
  frame_decoder strict(k_handshake_max_frame_size);
  EXPECT_FALSE(strict.feed(big).has_value());
  d.set_max_frame_size(k_default_max_frame_size);
  auto out = d.feed(big);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->size(), 1u);
}

}  // namespace
}  // namespace ternmq::cluster
