// Tests for the per-peer outgoing buffer: VerneMQ's default limit, tail drop with counters when
// full, frames kept in order.
#include "broker/cluster/outgoing_buffer.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ternmq::cluster {
namespace {

TEST(OutgoingBufferTest, DefaultIsVerneMQsTenThousandBytes) {
  EXPECT_EQ(outgoing_buffer().max_bytes(), 10'000u);
}

TEST(OutgoingBufferTest, QueuesUpToTheByteLimitThenDropsNewFrames) {
  outgoing_buffer b(10);
  EXPECT_EQ(b.push("aaaa"), outgoing_buffer::push_result::queued);
  EXPECT_EQ(b.push("bbbbbb"), outgoing_buffer::push_result::queued);  // exactly full
  EXPECT_EQ(b.bytes(), 10u);
  EXPECT_EQ(b.push("c"), outgoing_buffer::push_result::dropped);
  EXPECT_EQ(b.counters(), (outgoing_counters{2, 1, 1}));
  EXPECT_EQ(b.pop(), "aaaa");
  EXPECT_EQ(b.push("ccc"), outgoing_buffer::push_result::queued);
  EXPECT_EQ(b.front(), "bbbbbb");
  EXPECT_EQ(b.pop(), "bbbbbb");
  EXPECT_EQ(b.pop(), "ccc");
  EXPECT_EQ(b.pop(), std::nullopt);
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.bytes(), 0u);
}

TEST(OutgoingBufferTest, AFrameLargerThanTheWholeBufferIsDropped) {
  outgoing_buffer b(10);
  EXPECT_EQ(b.push(std::string(11, 'x')), outgoing_buffer::push_result::dropped);
  EXPECT_EQ(b.counters().dropped_bytes, 11u);
  EXPECT_TRUE(b.empty());
}

}  // namespace
}  // namespace ternmq::cluster
