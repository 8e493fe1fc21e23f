// Tests for placement rule evaluation: each Marathon operator passing and failing with its reason,
// offers without the field, and the instance being placed ignored among the others.
#include "scheduler/offer/placement.hpp"

#include <gtest/gtest.h>

#include "tests/unit/scheduler/offer/offer_test_support.hpp"

namespace ternmq::scheduler::offers {
namespace {

using test::agent_offer;
using test::placed;

placement_rules rules(std::string_view text) {
  auto r = parse_placement(text);
  if (!r) ADD_FAILURE() << r.err().message;
  return r ? *r : placement_rules{};
}

// "" when `offer` passes, else the reason.
std::string check(std::string_view placement, const backend::offer& offer, const std::vector<placed_instance>& others,
                  std::string_view self = "node-9") {
  const auto s = check_placement(rules(placement), offer, self, others);
  return s ? "" : s.message();
}

TEST(Placement, NoRulesPassEverything) { EXPECT_EQ(check("[]", agent_offer(0), {placed("node-0", "local-agent-0")}), ""); }

TEST(Placement, UniqueHostname) {
  const std::vector others{placed("node-0", "local-agent-0"), placed("node-1", "local-agent-1")};
  EXPECT_EQ(check(R"([["hostname", "UNIQUE"]])", agent_offer(2), others), "");
  EXPECT_EQ(check(R"([["hostname", "UNIQUE"]])", agent_offer(0), others),
            "hostname UNIQUE: node-0 already runs on local-agent-0");
  EXPECT_EQ(check(R"([["@hostname", "UNIQUE"]])", agent_offer(1), others),
            "@hostname UNIQUE: node-1 already runs on local-agent-1");
}

TEST(Placement, UniqueAttribute) {
  const std::vector others{placed("node-0", "h0", {{"rack", "r1"}}), placed("node-1", "h1")};
  EXPECT_EQ(check(R"([["rack", "UNIQUE"]])", agent_offer(2, {{"rack", "r2"}}), others), "");
  EXPECT_EQ(check(R"([["rack", "UNIQUE"]])", agent_offer(2, {{"rack", "r1"}}), others),
            "rack UNIQUE: node-0 already runs on rack r1");
}

TEST(Placement, TheInstanceBeingPlacedIsNotAnOther) {
  const std::vector others{placed("node-0", "local-agent-0")};
  EXPECT_EQ(check(R"([["hostname", "UNIQUE"]])", agent_offer(0), others, "node-0"), "");
}

TEST(Placement, ClusterWithValue) {
  EXPECT_EQ(check(R"([["rack", "CLUSTER", "r1"]])", agent_offer(0, {{"rack", "r1"}}), {}), "");
  EXPECT_EQ(check(R"([["rack", "CLUSTER", "r1"]])", agent_offer(0, {{"rack", "r2"}}), {}),
            "rack CLUSTER r1: the offer's rack r2 is not r1");
  EXPECT_EQ(check(R"([["hostname", "CLUSTER", "local-agent-1"]])", agent_offer(1), {}), "");
}

TEST(Placement, ClusterWithoutValueFollowsTheOthers) {
  EXPECT_EQ(check(R"([["rack", "CLUSTER"]])", agent_offer(0, {{"rack", "r2"}}), {}), "");
  const std::vector others{placed("node-0", "h0", {{"rack", "r1"}})};
  EXPECT_EQ(check(R"([["rack", "CLUSTER"]])", agent_offer(1, {{"rack", "r1"}}), others), "");
  EXPECT_EQ(check(R"([["rack", "CLUSTER"]])", agent_offer(1, {{"rack", "r2"}}), others),
            "rack CLUSTER: node-0 runs on rack r1, the offer's rack r2 differs");
}

TEST(Placement, LikeMatchesTheWholeValue) {
  EXPECT_EQ(check(R"([["hostname", "LIKE", "local-agent-[01]"]])", agent_offer(1), {}), "");
  EXPECT_EQ(check(R"([["hostname", "LIKE", "local-agent-[01]"]])", agent_offer(2), {}),
            "hostname LIKE local-agent-[01]: the offer's hostname local-agent-2 does not match");
  EXPECT_EQ(check(R"([["hostname", "LIKE", "local"]])", agent_offer(2), {}),
            "hostname LIKE local: the offer's hostname local-agent-2 does not match");
}

TEST(Placement, Unlike) {
  EXPECT_EQ(check(R"([["rack", "UNLIKE", "r[12]"]])", agent_offer(0, {{"rack", "r3"}}), {}), "");
  EXPECT_EQ(check(R"([["rack", "UNLIKE", "r[12]"]])", agent_offer(0, {{"rack", "r2"}}), {}),
            "rack UNLIKE r[12]: the offer's rack r2 matches");
  EXPECT_EQ(check(R"([["rack", "UNLIKE", "r[12]"]])", agent_offer(0), {}), "");  // no rack at all
}

TEST(Placement, Is) {
  EXPECT_EQ(check(R"([["type", "IS", "ssd"]])", agent_offer(0, {{"type", "ssd"}}), {}), "");
  EXPECT_EQ(check(R"([["type", "IS", "ssd"]])", agent_offer(0, {{"type", "hdd"}}), {}),
            "type IS ssd: the offer's type hdd is not ssd");
}

TEST(Placement, MaxPer) {
  const std::vector others{placed("node-0", "h0", {{"rack", "r1"}}), placed("node-1", "h1", {{"rack", "r2"}}),
                           placed("node-2", "h2", {{"rack", "r1"}})};
  EXPECT_EQ(check(R"([["rack", "MAX_PER", "2"]])", agent_offer(3, {{"rack", "r2"}}), others), "");
  EXPECT_EQ(check(R"([["rack", "MAX_PER", "2"]])", agent_offer(3, {{"rack", "r1"}}), others),
            "rack MAX_PER 2: node-0 and node-2 already run on rack r1");
  EXPECT_EQ(check(R"([["hostname", "MAX_PER", "1"]])", agent_offer(3), {placed("node-0", "local-agent-3")}),
            "hostname MAX_PER 1: node-0 already runs on local-agent-3");
}

TEST(Placement, GroupByWithoutCountPrefersTheLeastUsedValue) {
  const std::vector others{placed("node-0", "h0", {{"rack", "r1"}}), placed("node-1", "h1", {{"rack", "r2"}}),
                           placed("node-2", "h2", {{"rack", "r1"}})};
  EXPECT_EQ(check(R"([["rack", "GROUP_BY"]])", agent_offer(3, {{"rack", "r2"}}), others), "");
  EXPECT_EQ(check(R"([["rack", "GROUP_BY"]])", agent_offer(3, {{"rack", "r3"}}), others), "");  // unused value
  EXPECT_EQ(check(R"([["rack", "GROUP_BY"]])", agent_offer(3, {{"rack", "r1"}}), others),
            "rack GROUP_BY: rack r1 has 2 instances (node-0 and node-2), rack r2 has 1");
}

TEST(Placement, GroupByWithCountFillsEveryGroupFirst) {
  const std::vector one{placed("node-0", "h0", {{"zone", "a"}})};
  EXPECT_EQ(check(R"([["zone", "GROUP_BY", "3"]])", agent_offer(1, {{"zone", "a"}}), one),
            "zone GROUP_BY 3: node-0 already runs on zone a, and only 1 of 3 zone values are in use");
  EXPECT_EQ(check(R"([["zone", "GROUP_BY", "3"]])", agent_offer(1, {{"zone", "b"}}), one), "");
  const std::vector three{placed("node-0", "h0", {{"zone", "a"}}), placed("node-1", "h1", {{"zone", "b"}}),
                          placed("node-2", "h2", {{"zone", "c"}})};
  EXPECT_EQ(check(R"([["zone", "GROUP_BY", "3"]])", agent_offer(3, {{"zone", "a"}}), three), "");
}

TEST(Placement, AnOfferWithoutTheFieldFails) {
  EXPECT_EQ(check(R"([["rack", "UNIQUE"]])", agent_offer(0), {}), "rack UNIQUE: the offer has no attribute rack");
  EXPECT_EQ(check(R"([["rack", "IS", "r1"]])", agent_offer(0), {}), "rack IS r1: the offer has no attribute rack");
}

TEST(Placement, OthersWithoutTheFieldDoNotCount) {
  EXPECT_EQ(check(R"([["rack", "UNIQUE"]])", agent_offer(1, {{"rack", "r1"}}), {placed("node-0", "h0")}), "");
}

TEST(Placement, TheFirstBrokenRuleIsReported) {
  const std::vector others{placed("node-0", "local-agent-0", {{"rack", "r1"}})};
  EXPECT_EQ(check(R"([["rack", "IS", "r1"], ["hostname", "UNIQUE"], ["rack", "UNIQUE"]])",
                  agent_offer(0, {{"rack", "r1"}}), others),
            "hostname UNIQUE: node-0 already runs on local-agent-0");
}

TEST(Placement, HandBuiltLikeRuleWithoutCompiledPattern) {
  const placement_rules hand{{"hostname", placement_operator::like, "local-.*", std::nullopt, nullptr}};
  EXPECT_TRUE(check_placement(hand, agent_offer(0), "node-0", {}).ok());
}

}  // namespace
}  // namespace ternmq::scheduler::offers
