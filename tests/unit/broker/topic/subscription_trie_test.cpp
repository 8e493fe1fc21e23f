// Tests for `subscription_trie`: add, replace and remove of plain and shared subscriptions,
// wildcard and `$` matching (checked against `topic::matches` as the reference), pruning and
// counts.
#include "broker/topic/subscription_trie.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "broker/topic/topic.hpp"

namespace ternmq::topic {
namespace {

// What one `match` call produced, sorted so tests compare sets.
struct match_result {
  std::vector<std::pair<subscriber_id, subscription_options>> plain;
  std::map<std::string, subscription_trie::members> groups;
  int group_calls = 0;

  std::vector<subscriber_id> plain_ids() const {
    std::vector<subscriber_id> ids;
    for (const auto& [who, _] : plain) ids.push_back(who);
    std::sort(ids.begin(), ids.end());
    return ids;
  }
};

match_result match(const subscription_trie& t, const std::string& name) {
  match_result r;
  t.match(
      name, [&](subscriber_id who, const subscription_options& o) { r.plain.emplace_back(who, o); },
      [&](const std::string& g, const subscription_trie::members& m) {
        ++r.group_calls;
        r.groups[g] = m;
      });
  return r;
}

subscription_options qos(std::uint8_t q) {
  subscription_options o;
  o.qos = q;
  return o;
}

TEST(SubscriptionTrieTest, EmptyTrieMatchesNothing) {
  subscription_trie t;
  EXPECT_EQ(t.subscription_count(), 0u);
  const auto r = match(t, "a/b");
  EXPECT_TRUE(r.plain.empty());
  EXPECT_EQ(r.group_calls, 0);
}

TEST(SubscriptionTrieTest, AddReportsNewAndReplaceKeepsCount) {
  subscription_trie t;
  EXPECT_TRUE(t.add("a/b", "", 1, qos(0)));
  EXPECT_TRUE(t.add("a/b", "", 2, qos(1)));
  EXPECT_EQ(t.subscription_count(), 2u);
  EXPECT_FALSE(t.add("a/b", "", 1, qos(2)));  // replaces the options of subscriber 1
  EXPECT_EQ(t.subscription_count(), 2u);

  const auto r = match(t, "a/b");
  ASSERT_EQ(r.plain.size(), 2u);
  for (const auto& [who, o] : r.plain) EXPECT_EQ(o.qos, who == 1 ? 2 : 1);
}

TEST(SubscriptionTrieTest, OptionsAreDeliveredAsStored) {
  subscription_trie t;
  subscription_options o;
  o.qos = 2;
  o.no_local = true;
  o.retain_as_published = true;
  o.identifier = 77;
  t.add("x", "", 9, o);
  const auto r = match(t, "x");
  ASSERT_EQ(r.plain.size(), 1u);
  EXPECT_EQ(r.plain[0].second, o);
}

TEST(SubscriptionTrieTest, SameSubscriberOnOverlappingFiltersIsReportedPerFilter) {
  // Merging overlapping subscriptions is routing's job; the trie reports each filter.
  subscription_trie t;
  t.add("a/b", "", 1, qos(0));
  t.add("a/+", "", 1, qos(1));
  t.add("#", "", 1, qos(2));
  EXPECT_EQ(t.subscription_count(), 3u);
  EXPECT_EQ(match(t, "a/b").plain.size(), 3u);
  EXPECT_EQ(match(t, "a/c").plain.size(), 2u);
  EXPECT_EQ(match(t, "z").plain.size(), 1u);
}

// Every filter against every name, compared with `topic::matches`: the trie walk and the
// reference matcher must agree, `$` rule included.
TEST(SubscriptionTrieTest, AgreesWithTopicMatches) {
  const std::vector<std::string> filters = {
      "#", "+", "a", "a/#", "a/+", "a/b", "a/+/c", "+/b/#", "+/+", "/+", "a//c", "$SYS/#", "$SYS/+", "+/#", "a/b/#",
  };
  const std::vector<std::string> names = {
      "a", "a/b", "a/b/c", "a//c", "/", "/b", "b", "$SYS", "$SYS/x", "$SYS/x/y", "x/b", "x/b/y", "a/", "$",
  };
  subscription_trie t;
  for (std::size_t i = 0; i < filters.size(); ++i) t.add(filters[i], "", i + 1, qos(0));
  for (const auto& name : names) {
    std::vector<subscriber_id> expected;
    for (std::size_t i = 0; i < filters.size(); ++i)
      if (matches(filters[i], name)) expected.push_back(i + 1);
    EXPECT_EQ(match(t, name).plain_ids(), expected) << name;
  }
}

TEST(SubscriptionTrieTest, DollarTopicsNeedALiteralFirstLevel) {
  subscription_trie t;
  t.add("#", "", 1, qos(0));
  t.add("+/uptime", "", 2, qos(0));
  t.add("$SYS/#", "", 3, qos(0));
  t.add("$SYS/+", "", 4, qos(0));
  EXPECT_EQ(match(t, "$SYS/uptime").plain_ids(), (std::vector<subscriber_id>{3, 4}));
  EXPECT_EQ(match(t, "$SYS").plain_ids(), (std::vector<subscriber_id>{3}));
  EXPECT_EQ(match(t, "up/uptime").plain_ids(), (std::vector<subscriber_id>{1, 2}));
}

TEST(SubscriptionTrieTest, HashMatchesTheParentLevel) {
  subscription_trie t;
  t.add("a/#", "", 1, qos(0));
  EXPECT_EQ(match(t, "a").plain_ids(), (std::vector<subscriber_id>{1}));
  EXPECT_EQ(match(t, "a/b/c").plain_ids(), (std::vector<subscriber_id>{1}));
  EXPECT_TRUE(match(t, "b").plain.empty());
}

TEST(SubscriptionTrieTest, EmptyLevelsAreLevels) {
  subscription_trie t;
  t.add("a/+/b", "", 1, qos(0));
  t.add("a//b", "", 2, qos(0));
  EXPECT_EQ(match(t, "a//b").plain_ids(), (std::vector<subscriber_id>{1, 2}));
  EXPECT_TRUE(match(t, "a/b").plain.empty());
}

TEST(SubscriptionTrieTest, RemoveReportsWhetherItExisted) {
  subscription_trie t;
  t.add("a/b", "", 1, qos(0));
  t.add("a/b", "", 2, qos(0));
  EXPECT_FALSE(t.remove("a/b", "", 3));    // other subscriber
  EXPECT_FALSE(t.remove("a/c", "", 1));    // other filter
  EXPECT_FALSE(t.remove("a", "", 1));      // a prefix of the filter
  EXPECT_FALSE(t.remove("a/b/c", "", 1));  // an extension of it
  EXPECT_FALSE(t.remove("a/b", "g", 1));   // the shared form of it
  EXPECT_EQ(t.subscription_count(), 2u);
  EXPECT_TRUE(t.remove("a/b", "", 1));
  EXPECT_FALSE(t.remove("a/b", "", 1));
  EXPECT_EQ(t.subscription_count(), 1u);
  EXPECT_EQ(match(t, "a/b").plain_ids(), (std::vector<subscriber_id>{2}));
}

TEST(SubscriptionTrieTest, RemovePrunesButKeepsSiblingsAndAncestors) {
  subscription_trie t;
  t.add("a", "", 1, qos(0));
  t.add("a/b/c/d", "", 2, qos(0));
  t.add("a/b/x", "", 3, qos(0));
  EXPECT_TRUE(t.remove("a/b/c/d", "", 2));
  // The pruned branch is gone: removing it again finds nothing ...
  EXPECT_FALSE(t.remove("a/b/c/d", "", 2));
  // ... while the sibling and the ancestor still match.
  EXPECT_EQ(match(t, "a/b/x").plain_ids(), (std::vector<subscriber_id>{3}));
  EXPECT_EQ(match(t, "a").plain_ids(), (std::vector<subscriber_id>{1}));
  EXPECT_TRUE(t.remove("a/b/x", "", 3));
  EXPECT_TRUE(t.remove("a", "", 1));
  EXPECT_EQ(t.subscription_count(), 0u);
  // Adding after a full prune works from a clean root.
  EXPECT_TRUE(t.add("a/b/x", "", 3, qos(1)));
  EXPECT_EQ(match(t, "a/b/x").plain_ids(), (std::vector<subscriber_id>{3}));
}

TEST(SubscriptionTrieTest, SharedGroupsAreReportedOncePerGroupWithAllMembers) {
  subscription_trie t;
  EXPECT_TRUE(t.add("a/+", "g1", 1, qos(0)));
  EXPECT_TRUE(t.add("a/+", "g1", 2, qos(1)));
  EXPECT_TRUE(t.add("a/+", "g2", 3, qos(2)));
  EXPECT_TRUE(t.add("a/+", "", 4, qos(0)));
  EXPECT_EQ(t.subscription_count(), 4u);

  const auto r = match(t, "a/x");
  EXPECT_EQ(r.plain_ids(), (std::vector<subscriber_id>{4}));
  EXPECT_EQ(r.group_calls, 2);
  ASSERT_EQ(r.groups.count("g1"), 1u);
  ASSERT_EQ(r.groups.count("g2"), 1u);
  EXPECT_EQ(r.groups.at("g1").size(), 2u);
  EXPECT_EQ(r.groups.at("g1").at(2).qos, 1);
  EXPECT_EQ(r.groups.at("g2").size(), 1u);
  EXPECT_EQ(r.groups.at("g2").at(3).qos, 2);
}

TEST(SubscriptionTrieTest, SameGroupOnDifferentFiltersIsReportedPerFilter) {
  subscription_trie t;
  t.add("a/#", "g", 1, qos(0));
  t.add("a/b", "g", 2, qos(0));
  const auto r = match(t, "a/b");
  EXPECT_EQ(r.group_calls, 2);
}

TEST(SubscriptionTrieTest, SharedGroupReplaceAndRemove) {
  subscription_trie t;
  t.add("x", "g", 1, qos(0));
  EXPECT_FALSE(t.add("x", "g", 1, qos(2)));
  EXPECT_EQ(match(t, "x").groups.at("g").at(1).qos, 2);
  EXPECT_FALSE(t.remove("x", "", 1));     // the plain form is another subscription
  EXPECT_FALSE(t.remove("x", "other", 1));
  EXPECT_TRUE(t.remove("x", "g", 1));
  EXPECT_EQ(t.subscription_count(), 0u);
  EXPECT_EQ(match(t, "x").group_calls, 0);  // an emptied group is not reported
}

TEST(SubscriptionTrieTest, SharedHashDoesNotMatchDollarTopics) {
  subscription_trie t;
  t.add("#", "g", 1, qos(0));
  EXPECT_EQ(match(t, "$SYS/x").group_calls, 0);
  EXPECT_EQ(match(t, "a").group_calls, 1);
}

}  // namespace
}  // namespace ternmq::topic
