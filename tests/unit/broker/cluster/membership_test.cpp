// Tests for the replicated member list: join and leave, which peers to link to, merging a
// `members` message, convergence of concurrent joins and leaves, and a left node staying left
// when an older "joined" arrives late.
#include "broker/cluster/membership.hpp"

#include <gtest/gtest.h>

#include "broker/cluster/error.hpp"

namespace ternmq::cluster {
namespace {

std::vector<std::string> names(const std::vector<member>& ms) {
  std::vector<std::string> out;
  for (const auto& m : ms) out.push_back(m.nodename);
  return out;
}

TEST(MembershipTest, AFreshNodeIsNotAMemberUntilItJoins) {
  membership ms("a");
  EXPECT_FALSE(ms.is_member("a"));
  EXPECT_TRUE(ms.members().empty());
  const member_entry e = ms.join("a", "10.0.0.1:44053", 1000);
  EXPECT_EQ(e.nodename, "a");
  EXPECT_EQ(e.state, member_state::joined);
  EXPECT_EQ(e.stamp, (hlc_timestamp{1000, 0, "a"}));
  EXPECT_TRUE(ms.is_member("a"));
  EXPECT_TRUE(ms.peers_to_connect().empty());
}

TEST(MembershipTest, PeersAreJoinedAndLeavingMembersExceptSelf) {
  membership ms("a");
  ms.join("a", "10.0.0.1:44053", 1000);
  ms.join("b", "10.0.0.2:44053", 1000);
  ms.join("c", "10.0.0.3:44053", 1000);
  ms.join("d", "10.0.0.4:44053", 1000);
  ASSERT_TRUE(ms.leave("c", 2000));
  ASSERT_TRUE(ms.mark_left("d", 2000));
  EXPECT_EQ(names(ms.peers_to_connect()), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(names(ms.members()), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(ms.is_member("c"));
  EXPECT_FALSE(ms.is_member("d"));
  EXPECT_EQ(ms.find("d")->state, member_state::left);
  EXPECT_EQ(ms.find("c")->address, "10.0.0.3:44053");
  EXPECT_EQ(ms.entries().size(), 4u);  // left ones are still listed, so the news spreads
}

TEST(MembershipTest, LeavingAnUnknownNodeFails) {
  membership ms("a");
  auto r = ms.leave("ghost", 1000);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(is(r.err(), errc::unknown_node));
}

TEST(MembershipTest, MergeOfAMembersMessageReportsChanges) {
  membership seed("a");
  seed.join("a", "10.0.0.1:44053", 1000);
  seed.join("b", "10.0.0.2:44053", 1100);

  membership fresh("c");
  fresh.join("c", "10.0.0.3:44053", 1200);
  auto changes = fresh.merge(seed.entries(), 1300);
  ASSERT_TRUE(changes.has_value());
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ((*changes)[0].nodename, "a");
  EXPECT_FALSE((*changes)[0].before.has_value());
  EXPECT_EQ((*changes)[0].after, (member_value{"10.0.0.1:44053", member_state::joined}));
  EXPECT_EQ(names(fresh.peers_to_connect()), (std::vector<std::string>{"a", "b"}));

  // Merging the same list again changes nothing.
  auto again = fresh.merge(seed.entries(), 1400);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->empty());
}

TEST(MembershipTest, ALeftNodeStaysLeftWhenAnOlderJoinArrivesLate) {
  membership a("a"), b("b");
  const member_entry joined = a.join("c", "10.0.0.3:44053", 1000);
  ASSERT_TRUE(a.merge({joined}, 1000));
  ASSERT_TRUE(b.merge({joined}, 1000));
  const member_entry left = *b.mark_left("c", 2000);
  // `a` hears of the leave first, then a stale copy of the join.
  ASSERT_TRUE(a.merge({left}, 2000));
  auto late = a.merge({joined}, 2100);
  ASSERT_TRUE(late.has_value());
  EXPECT_TRUE(late->empty());
  EXPECT_FALSE(a.is_member("c"));
}

TEST(MembershipTest, ARejoinAfterLeavingWins) {
  membership ms("a");
  ms.join("c", "10.0.0.3:44053", 1000);
  ASSERT_TRUE(ms.mark_left("c", 2000));
  ms.join("c", "10.0.0.9:44053", 3000);  // came back on another agent
  EXPECT_TRUE(ms.is_member("c"));
  EXPECT_EQ(ms.find("c")->address, "10.0.0.9:44053");
}

TEST(MembershipTest, ConcurrentChangesConvergeWhateverTheOrder) {
  membership a("a"), b("b"), c("c");
  std::vector<member_entry> all;
  all.push_back(a.join("a", "10.0.0.1:1", 1000));
  all.push_back(b.join("b", "10.0.0.2:1", 1001));
  all.push_back(c.join("c", "10.0.0.3:1", 999));
  all.push_back(a.join("d", "10.0.0.4:1", 1002));
  ASSERT_TRUE(b.merge({all.back()}, 1003));
  all.push_back(*b.leave("d", 1003));
  ASSERT_TRUE(a.merge(all, 1100));
  std::vector<member_entry> reversed(all.rbegin(), all.rend());
  ASSERT_TRUE(b.merge(reversed, 1100));
  ASSERT_TRUE(c.merge(reversed, 1100));
  ASSERT_TRUE(c.merge(all, 1100));
  EXPECT_EQ(a.entries(), b.entries());
  EXPECT_EQ(b.entries(), c.entries());
  EXPECT_EQ(a.find("d")->state, member_state::leaving);
}

TEST(MembershipTest, MemberEntriesConvertToMetadataAndBack) {
  const member_entry e{"node-a", "10.0.0.1:44053", member_state::leaving, hlc_timestamp{5, 6, "node-b"}};
  const metadata_entry m = to_metadata_entry(e);
  EXPECT_EQ(m.key, member_key("node-a"));
  EXPECT_FALSE(check_entry(map_id::membership, m).has_value());
  EXPECT_EQ(to_member_entry(m), e);
}

}  // namespace
}  // namespace ternmq::cluster
