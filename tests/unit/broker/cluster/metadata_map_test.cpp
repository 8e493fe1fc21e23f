// Tests for the replicated metadata map, one behaviour at a time: local writes win, last
// writer wins on merge, tombstones and their purge, the changes `apply` reports, per-owner
// views and `erase_owner`, catch-up with `entries_since`, and refusal of far-future stamps.
// The convergence property over random operations is in metadata_convergence_test.cpp.
#include "broker/cluster/metadata_map.hpp"

#include <gtest/gtest.h>

#include "broker/cluster/error.hpp"

namespace ternmq::cluster {
namespace {

metadata_key key(std::string owner, std::string name) { return metadata_key{std::move(owner), std::move(name)}; }

TEST(MetadataMapTest, PutThenGet) {
  metadata_map m("a");
  const metadata_entry e = m.put(key("a", "k"), "v1", 1000);
  EXPECT_EQ(e.stamp, (hlc_timestamp{1000, 0, "a"}));
  EXPECT_EQ(m.get(key("a", "k")), "v1");
  EXPECT_EQ(m.size(), 1u);
  m.put(key("a", "k"), "v2", 1000);
  EXPECT_EQ(m.get(key("a", "k")), "v2");
  EXPECT_EQ(m.size(), 1u);
}

TEST(MetadataMapTest, EraseLeavesATombstone) {
  metadata_map m("a");
  m.put(key("a", "k"), "v", 1000);
  const metadata_entry t = m.erase(key("a", "k"), 1001);
  EXPECT_TRUE(t.tombstone());
  EXPECT_EQ(m.get(key("a", "k")), std::nullopt);
  ASSERT_NE(m.find(key("a", "k")), nullptr);
  EXPECT_TRUE(m.find(key("a", "k"))->tombstone());
  EXPECT_EQ(m.size(), 0u);
  EXPECT_EQ(m.tombstones(), 1u);
}

TEST(MetadataMapTest, LaterRemoteWriteWinsAndReportsTheChange) {
  metadata_map m("a");
  m.put(key("", "k"), "mine", 1000);
  auto c = m.apply(metadata_entry{key("", "k"), hlc_timestamp{2000, 0, "b"}, "theirs"}, 2000);
  ASSERT_TRUE(c.has_value());
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ(**c, (metadata_change{key("", "k"), "mine", "theirs"}));
  EXPECT_EQ(m.get(key("", "k")), "theirs");
}

TEST(MetadataMapTest, OlderRemoteWriteLosesAndReportsNothing) {
  metadata_map m("a");
  m.put(key("", "k"), "mine", 5000);
  auto c = m.apply(metadata_entry{key("", "k"), hlc_timestamp{4000, 0, "b"}, "theirs"}, 5000);
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->has_value());
  EXPECT_EQ(m.get(key("", "k")), "mine");
}

TEST(MetadataMapTest, ApplyIsIdempotent) {
  metadata_map m("a");
  const metadata_entry e{key("", "k"), hlc_timestamp{1000, 0, "b"}, "v"};
  auto first = m.apply(e, 1000);
  ASSERT_TRUE(first && first->has_value());
  auto second = m.apply(e, 1000);
  ASSERT_TRUE(second.has_value());
  EXPECT_FALSE(second->has_value());
  EXPECT_EQ(m.snapshot(), std::vector<metadata_entry>{e});
}

TEST(MetadataMapTest, RemoteTombstoneReportsTheRemoval) {
  metadata_map m("a");
  m.put(key("", "k"), "v", 1000);
  auto c = m.apply(metadata_entry{key("", "k"), hlc_timestamp{1001, 0, "b"}, std::nullopt}, 1001);
  ASSERT_TRUE(c && c->has_value());
  EXPECT_EQ(**c, (metadata_change{key("", "k"), "v", std::nullopt}));
  // A tombstone for a key we never had changes nothing visible, but is kept: it must still
  // defeat an older write of that key arriving later.
  auto none = m.apply(metadata_entry{key("", "other"), hlc_timestamp{1002, 0, "b"}, std::nullopt}, 1002);
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
  auto late = m.apply(metadata_entry{key("", "other"), hlc_timestamp{900, 0, "c"}, "stale"}, 1002);
  ASSERT_TRUE(late.has_value());
  EXPECT_FALSE(late->has_value());
  EXPECT_EQ(m.get(key("", "other")), std::nullopt);
}

TEST(MetadataMapTest, ANewerWriteOfTheSameValueIsNotAVisibleChange) {
  metadata_map m("a");
  m.put(key("", "k"), "v", 1000);
  auto c = m.apply(metadata_entry{key("", "k"), hlc_timestamp{2000, 0, "b"}, "v"}, 2000);
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->has_value());
  EXPECT_EQ(m.find(key("", "k"))->stamp.node, "b");
}

TEST(MetadataMapTest, LocalWritesWinOverEverythingSeen) {
  // A remote write stamped ahead of our wall clock (within the drift bound): our next write
  // must still be later, or a local unsubscribe would lose to the subscribe it undoes.
  metadata_map m("a");
  ASSERT_TRUE(m.apply(metadata_entry{key("", "k"), hlc_timestamp{1500, 3, "b"}, "remote"}, 1000));
  const metadata_entry mine = m.erase(key("", "k"), 1000);
  EXPECT_GT(mine.stamp, (hlc_timestamp{1500, 3, "b"}));
  EXPECT_EQ(m.get(key("", "k")), std::nullopt);
}

TEST(MetadataMapTest, EqualStampsAreResolvedTheSameWayEverywhere) {
  const hlc_timestamp t{1000, 0, "b"};
  const metadata_entry x{key("", "k"), t, "x"}, y{key("", "k"), t, "y"}, gone{key("", "k"), t, std::nullopt};
  metadata_map one("a"), two("c");
  ASSERT_TRUE(one.apply(x, 1000) && one.apply(y, 1000) && one.apply(gone, 1000));
  ASSERT_TRUE(two.apply(gone, 1000) && two.apply(y, 1000) && two.apply(x, 1000));
  EXPECT_EQ(one.snapshot(), two.snapshot());
  EXPECT_TRUE(one.find(key("", "k"))->tombstone());
}

TEST(MetadataMapTest, FarFutureStampIsRefusedAndNothingChanges) {
  metadata_map m("a", 60'000);
  auto r = m.apply(metadata_entry{key("", "k"), hlc_timestamp{1'000'000, 0, "b"}, "v"}, 1000);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(is(r.err(), errc::clock_drift));
  EXPECT_EQ(m.get(key("", "k")), std::nullopt);
  EXPECT_EQ(m.clock().last().physical_ms, 0u);
}

TEST(MetadataMapTest, EntriesOfAnOwnerAndEraseOwner) {
  metadata_map m("a");
  m.put(key("a", "1"), "v", 1000);
  m.put(key("b", "1"), "v", 1000);
  m.put(key("b", "2"), "v", 1000);
  m.put(key("bb", "1"), "v", 1000);  // a longer name sorting right after "b"
  m.erase(key("b", "3"), 1000);      // tombstones are not in the view
  EXPECT_EQ(m.entries_of("b").size(), 2u);

  const auto tombstones = m.erase_owner("b", 2000);
  ASSERT_EQ(tombstones.size(), 2u);
  for (const auto& t : tombstones) {
    EXPECT_TRUE(t.tombstone());
    EXPECT_EQ(t.key.owner, "b");
  }
  EXPECT_TRUE(m.entries_of("b").empty());
  EXPECT_EQ(m.entries_of("a").size(), 1u);
  EXPECT_EQ(m.entries_of("bb").size(), 1u);

  // A replica that applies the tombstones drops the node's entries too.
  metadata_map other("c");
  for (const auto& e : m.snapshot()) ASSERT_TRUE(other.apply(e, 2000));
  EXPECT_TRUE(other.entries_of("b").empty());
}

TEST(MetadataMapTest, EntriesSinceForCatchUp) {
  metadata_map m("a");
  m.put(key("", "1"), "v", 1000);
  const hlc_timestamp seen = m.put(key("", "2"), "v", 2000).stamp;
  m.put(key("", "3"), "v", 3000);
  m.erase(key("", "1"), 4000);
  const auto since = m.entries_since(seen);
  ASSERT_EQ(since.size(), 2u);
  EXPECT_EQ(since[0].key.name, "1");
  EXPECT_TRUE(since[0].tombstone());
  EXPECT_EQ(since[1].key.name, "3");
  EXPECT_EQ(m.entries_since(hlc_timestamp{}).size(), 3u);
  EXPECT_TRUE(m.entries_since(m.clock().last()).empty());
}

TEST(MetadataMapTest, PurgeDropsOnlyOldTombstones) {
  metadata_map m("a");
  m.put(key("", "live"), "v", 1000);
  m.erase(key("", "old"), 1000);
  m.erase(key("", "young"), 5000);
  EXPECT_EQ(m.purge_tombstones(5999, 5000), 0u);
  EXPECT_EQ(m.purge_tombstones(6000, 5000), 1u);
  EXPECT_EQ(m.find(key("", "old")), nullptr);
  EXPECT_NE(m.find(key("", "young")), nullptr);
  EXPECT_EQ(m.get(key("", "live")), "v");
  EXPECT_EQ(m.tombstones(), 1u);
  // A tombstone stamped ahead of `now` is not purged by an underflowing age.
  ASSERT_TRUE(m.apply(metadata_entry{key("", "ahead"), hlc_timestamp{9000, 0, "b"}, std::nullopt}, 8000));
  EXPECT_EQ(m.purge_tombstones(8000, 0), 1u);  // only "young"
  EXPECT_NE(m.find(key("", "ahead")), nullptr);
}

}  // namespace
}  // namespace ternmq::cluster
