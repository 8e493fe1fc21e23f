// Tests for the link bookkeeping rules: both ends of a duplicate pair keep the same link,
// redial delays double up to the cap and reset, and a link that misses three pongs is down.
#include "broker/cluster/link_rules.hpp"

#include <gtest/gtest.h>

namespace ternmq::cluster {
namespace {

using std::chrono::milliseconds;

TEST(LinkRulesTest, BothEndsKeepTheLinkDialledByTheSmallerName) {
  // Link X dialled by a, link Y dialled by b: a keeps X (it dialled it), b keeps X (a dialled it).
  EXPECT_TRUE(is_preferred_link("a@h", "b@h", true));
  EXPECT_FALSE(is_preferred_link("a@h", "b@h", false));
  EXPECT_FALSE(is_preferred_link("b@h", "a@h", true));
  EXPECT_TRUE(is_preferred_link("b@h", "a@h", false));
}

TEST(LinkRulesTest, BackoffDoublesToTheCapAndResets) {
  redial_backoff b;
  EXPECT_EQ(b.next_delay(), milliseconds(500));
  EXPECT_EQ(b.next_delay(), milliseconds(1000));
  EXPECT_EQ(b.next_delay(), milliseconds(2000));
  EXPECT_EQ(b.next_delay(), milliseconds(4000));
  EXPECT_EQ(b.next_delay(), milliseconds(5000));
  EXPECT_EQ(b.next_delay(), milliseconds(5000));
  b.reset();
  EXPECT_EQ(b.next_delay(), milliseconds(500));
}

TEST(LinkRulesTest, ThreeMissedPongsMeanDown) {
  link_liveness l;
  EXPECT_EQ(l.tick(), 1u);
  EXPECT_EQ(l.tick(), 2u);
  EXPECT_EQ(l.tick(), 3u);
  EXPECT_EQ(l.tick(), std::nullopt);
}

TEST(LinkRulesTest, APongAnswersEveryEarlierPing) {
  link_liveness l;
  (void)l.tick();
  (void)l.tick();
  (void)l.tick();
  l.on_pong(3);
  EXPECT_EQ(l.unanswered(), 0);
  EXPECT_EQ(l.tick(), 4u);
  l.on_pong(99);  // never sent: ignored
  EXPECT_EQ(l.unanswered(), 1);
  l.on_pong(2);   // late pong of an older ping: changes nothing
  EXPECT_EQ(l.unanswered(), 1);
}

}  // namespace
}  // namespace ternmq::cluster
