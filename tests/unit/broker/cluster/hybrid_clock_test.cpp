// Tests for the hybrid logical clock: local ticks follow the wall clock and never go backwards,
// observing a remote timestamp moves past it, the counter orders events within a millisecond,
// and a remote clock too far ahead is refused without moving ours.
#include "broker/cluster/hybrid_clock.hpp"

#include <gtest/gtest.h>

#include <random>

#include "broker/cluster/error.hpp"

namespace ternmq::cluster {
namespace {

TEST(HybridClockTest, TicksFollowTheWallClock) {
  hybrid_clock c("a");
  EXPECT_EQ(c.tick(1000), (hlc_timestamp{1000, 0, "a"}));
  EXPECT_EQ(c.tick(1005), (hlc_timestamp{1005, 0, "a"}));
}

TEST(HybridClockTest, TicksInTheSameMillisecondCountUp) {
  hybrid_clock c("a");
  c.tick(1000);
  EXPECT_EQ(c.tick(1000), (hlc_timestamp{1000, 1, "a"}));
  EXPECT_EQ(c.tick(1000), (hlc_timestamp{1000, 2, "a"}));
}

TEST(HybridClockTest, AWallClockGoingBackwardsDoesNotMoveTheClockBack) {
  hybrid_clock c("a");
  c.tick(5000);
  EXPECT_EQ(c.tick(4000), (hlc_timestamp{5000, 1, "a"}));
}

TEST(HybridClockTest, ObserveMovesPastARemoteTimestampAhead) {
  hybrid_clock c("a");
  c.tick(1000);
  auto t = c.observe(hlc_timestamp{1500, 7, "b"}, 1001);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t, (hlc_timestamp{1500, 8, "a"}));
  EXPECT_GT(c.tick(1002), (hlc_timestamp{1500, 7, "b"}));
}

TEST(HybridClockTest, ObserveWithEqualPhysicalTimeTakesTheLargerCounter) {
  hybrid_clock c("a");
  c.tick(1000);
  c.tick(1000);  // counter 1
  EXPECT_EQ(*c.observe(hlc_timestamp{1000, 5, "b"}, 900), (hlc_timestamp{1000, 6, "a"}));
  EXPECT_EQ(*c.observe(hlc_timestamp{1000, 2, "b"}, 900), (hlc_timestamp{1000, 7, "a"}));
}

TEST(HybridClockTest, ObserveOfAnOldTimestampUsesTheWallClock) {
  hybrid_clock c("a");
  EXPECT_EQ(*c.observe(hlc_timestamp{10, 3, "b"}, 2000), (hlc_timestamp{2000, 0, "a"}));
}

TEST(HybridClockTest, RemoteClockTooFarAheadIsRefused) {
  hybrid_clock c("a", 60'000);
  c.tick(1000);
  auto t = c.observe(hlc_timestamp{1000 + 60'001, 0, "b"}, 1000);
  ASSERT_FALSE(t.has_value());
  EXPECT_TRUE(is(t.err(), errc::clock_drift));
  EXPECT_EQ(c.last(), (hlc_timestamp{1000, 0, "a"}));
  EXPECT_TRUE(c.observe(hlc_timestamp{1000 + 60'000, 0, "b"}, 1000).has_value());
}

TEST(HybridClockTest, CounterOverflowStepsTheMillisecond) {
  hybrid_clock c("a");
  ASSERT_TRUE(c.observe(hlc_timestamp{1000, 0xFFFFFFFE, "b"}, 1000).has_value());  // counter now max
  EXPECT_EQ(c.last(), (hlc_timestamp{1000, 0xFFFFFFFF, "a"}));
  EXPECT_EQ(c.tick(1000), (hlc_timestamp{1001, 0, "a"}));
}

TEST(HybridClockTest, OrderIsPhysicalThenCounterThenNode) {
  EXPECT_LT((hlc_timestamp{1, 9, "z"}), (hlc_timestamp{2, 0, "a"}));
  EXPECT_LT((hlc_timestamp{1, 1, "z"}), (hlc_timestamp{1, 2, "a"}));
  EXPECT_LT((hlc_timestamp{1, 1, "a"}), (hlc_timestamp{1, 1, "b"}));
}

TEST(HybridClockTest, EveryEventIsLaterThanEverythingBeforeIt) {
  // Two clocks exchanging timestamps under jittery wall clocks: each new local or receive
  // event is strictly later than all events its node issued or saw before.
  std::mt19937 rng(31337);
  hybrid_clock a("a", 1'000'000), b("b", 1'000'000);
  hlc_timestamp last_a = a.last(), last_b = b.last();
  std::uint64_t wall = 100'000;
  for (int i = 0; i < 10000; ++i) {
    wall += rng() % 3;
    const std::uint64_t jitter_a = wall - rng() % 50, jitter_b = wall + rng() % 50;
    if (rng() % 2) {
      const hlc_timestamp t = a.tick(jitter_a);
      ASSERT_GT(t, last_a);
      const hlc_timestamp r = *b.observe(t, jitter_b);
      ASSERT_GT(r, last_b);
      ASSERT_GT(r, t);
      last_a = t;
      last_b = r;
    } else {
      const hlc_timestamp t = b.tick(jitter_b);
      ASSERT_GT(t, last_b);
      const hlc_timestamp r = *a.observe(t, jitter_a);
      ASSERT_GT(r, last_a);
      ASSERT_GT(r, t);
      last_b = t;
      last_a = r;
    }
    // And it stays close to the wall clock: never more than the jitter ahead.
    ASSERT_LE(last_a.physical_ms, wall + 50);
  }
}

}  // namespace
}  // namespace ternmq::cluster
