// Tests for the typed keys and values of the replicated maps: round trips, exact bytes of a
// subscription key (the owner is a separate key part, so a node's entries can be found), node
// name and address rules, and `check_entry` refusing entries that belong to another map.
#include "broker/cluster/metadata_types.hpp"

#include <gtest/gtest.h>

#include "cluster_test_support.hpp"

namespace ternmq::cluster {
namespace {

using test_support::to_hex;

TEST(MetadataTypesTest, SubscriptionKeyBytes) {
  const metadata_key k = encode_key(subscription_key{"node-a", "mp", "c1", "a/#"});
  EXPECT_EQ(k.owner, "node-a");
  EXPECT_EQ(to_hex(k.name), "00 02 6d 70 00 02 63 31 00 03 61 2f 23");
  EXPECT_EQ(to_hex(encode_value(subscription_value{1, true, false, 300})), "01 01 00 00 00 01 2c");
}

TEST(MetadataTypesTest, SubscriptionRoundTrip) {
  const subscription_key k{"node-a", "", "client", "$share/g/x/+"};
  auto back = decode_subscription_key(encode_key(k));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, k);
  const subscription_value v{2, true, true, 268'435'455};
  EXPECT_EQ(*decode_subscription_value(encode_value(v)), v);
  EXPECT_FALSE(decode_subscription_value(encode_value(subscription_value{0, false, false, 268'435'456})).has_value());
}

TEST(MetadataTypesTest, RetainedRoundTrip) {
  const retained_key k{"mp", "a/b"};
  EXPECT_EQ(*decode_retained_key(encode_key(k)), k);
  retained_value v{std::string("\x00\x01", 2), 1, test_support::full_app_message().props, 1'700'000'000'000};
  EXPECT_EQ(*decode_retained_value(encode_value(v)), v);
  v.expires_at_ms.reset();
  v.props = {};
  EXPECT_EQ(*decode_retained_value(encode_value(v)), v);
  EXPECT_FALSE(decode_retained_key(encode_key(retained_key{"", "a/+"})).has_value());
}

TEST(MetadataTypesTest, MemberRoundTrip) {
  const member_value v{"10.0.0.1:44053", member_state::leaving};
  EXPECT_EQ(*decode_member_value(encode_value(v)), v);
  EXPECT_EQ(*decode_member_key(member_key("node-a")), "node-a");
  EXPECT_FALSE(decode_member_key(metadata_key{"x", "node-a"}).has_value());
  EXPECT_FALSE(decode_member_value(encode_value(member_value{"nope", member_state::joined})).has_value());
  std::string bad_state = encode_value(v);
  bad_state.back() = 4;
  EXPECT_FALSE(decode_member_value(bad_state).has_value());
}

TEST(MetadataTypesTest, TrailingBytesInAValueAreRefused) {
  EXPECT_FALSE(decode_subscription_value(encode_value(subscription_value{}) + "x").has_value());
}

TEST(MetadataTypesTest, NodeNamesAndAddresses) {
  EXPECT_TRUE(is_valid_nodename("VerneMQ@10.0.0.7"));
  EXPECT_FALSE(is_valid_nodename(""));
  EXPECT_FALSE(is_valid_nodename(std::string(256, 'n')));
  EXPECT_FALSE(is_valid_nodename(std::string("a\0b", 3)));
  EXPECT_TRUE(is_valid_cluster_address("10.0.0.7:44053"));
  EXPECT_TRUE(is_valid_cluster_address("[::1]:1"));
  EXPECT_TRUE(is_valid_cluster_address("broker-1.ternmq.mesos:65535"));
  EXPECT_FALSE(is_valid_cluster_address("::1:44053"));
  EXPECT_FALSE(is_valid_cluster_address("host:123456"));
  EXPECT_FALSE(is_valid_cluster_address("host"));
}

TEST(MetadataTypesTest, CheckEntryMatchesTheMap) {
  const hlc_timestamp t{1, 0, "n"};
  const metadata_entry sub{encode_key(subscription_key{"n", "", "c", "a"}), t, encode_value(subscription_value{})};
  const metadata_entry member{member_key("n"), t, encode_value(member_value{"h:1", member_state::joined})};
  EXPECT_FALSE(check_entry(map_id::subscriptions, sub).has_value());
  EXPECT_TRUE(check_entry(map_id::membership, sub).has_value());
  EXPECT_TRUE(check_entry(map_id::retained, sub).has_value());
  EXPECT_FALSE(check_entry(map_id::membership, member).has_value());
  EXPECT_TRUE(check_entry(map_id::subscriptions, member).has_value());
  metadata_entry tomb = member;
  tomb.value.reset();
  EXPECT_FALSE(check_entry(map_id::membership, tomb).has_value());
}

}  // namespace
}  // namespace ternmq::cluster
