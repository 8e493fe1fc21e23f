// Tests for the netsplit policy: VerneMQ's defaults refuse everything while a member is
// unreachable, each allow flag opens one request type, and left members are not waited for.
#include "broker/cluster/netsplit_policy.hpp"

#include <gtest/gtest.h>

namespace ternmq::cluster {
namespace {

const std::vector<member> k_members = {
    {"a", "10.0.0.1:1", member_state::joined},
    {"b", "10.0.0.2:1", member_state::joined},
    {"c", "10.0.0.3:1", member_state::leaving},
    {"d", "10.0.0.4:1", member_state::left},
};

constexpr mqtt_request k_all[] = {mqtt_request::connect, mqtt_request::publish, mqtt_request::subscribe,
                                  mqtt_request::unsubscribe};

TEST(NetsplitPolicyTest, NoSplitWhenEveryMemberButSelfAndLeftNodesIsReachable) {
  const reachability r = assess("a", k_members, {"b", "c"});
  EXPECT_FALSE(r.netsplit());
  const netsplit_policy strict;
  for (auto req : k_all) EXPECT_TRUE(strict.allows(req, r)) << to_string(req);
}

TEST(NetsplitPolicyTest, ASingleNodeClusterIsNeverSplit) {
  EXPECT_FALSE(assess("a", {{"a", "h:1", member_state::joined}}, {}).netsplit());
  EXPECT_FALSE(assess("a", {}, {}).netsplit());
}

TEST(NetsplitPolicyTest, DefaultsRefuseEverythingDuringASplit) {
  const reachability r = assess("a", k_members, {"b"});
  ASSERT_TRUE(r.netsplit());
  EXPECT_EQ(r.unreachable, std::vector<std::string>{"c"});
  const netsplit_policy strict;
  for (auto req : k_all) EXPECT_FALSE(strict.allows(req, r)) << to_string(req);
}

TEST(NetsplitPolicyTest, EachFlagAllowsOnlyItsRequest) {
  const reachability r = assess("a", k_members, {});
  EXPECT_EQ(r.unreachable, (std::vector<std::string>{"b", "c"}));
  const struct {
    netsplit_options options;
    mqtt_request allowed;
  } cases[] = {
      {{true, false, false, false}, mqtt_request::connect},
      {{false, true, false, false}, mqtt_request::publish},
      {{false, false, true, false}, mqtt_request::subscribe},
      {{false, false, false, true}, mqtt_request::unsubscribe},
  };
  for (const auto& c : cases) {
    const netsplit_policy p(c.options);
    for (auto req : k_all) EXPECT_EQ(p.allows(req, r), req == c.allowed) << to_string(c.allowed) << " " << to_string(req);
  }
}

}  // namespace
}  // namespace ternmq::cluster
