// Tests for offer evaluation: each stage's pass and failure reason, the first fitting offer chosen,
// per-offer rejections when none fits, spec errors, and multi-instance placement scenarios.
#include "scheduler/offer/offer_evaluator.hpp"

#include <gtest/gtest.h>

#include "scheduler/offer/offer_errc.hpp"
#include "tests/unit/scheduler/offer/offer_test_support.hpp"

namespace ternmq::scheduler::offers {
namespace {

using test::agent_offer;
using test::placed;

model::port_spec port(std::string name, std::uint16_t number) {
  model::port_spec p;
  p.name = std::move(name);
  p.port = number;
  return p;
}

pod_requirement broker(std::uint32_t index, std::string_view placement = "") {
  pod_requirement need;
  need.pod = {"node", index};
  need.resources = {1, 2048, 5000};
  need.ports = {port("mqtt", 0), port("cluster", 0)};
  auto rules = parse_placement(placement);
  if (!rules) ADD_FAILURE() << rules.err().message;
  if (rules) need.placement = *rules;
  return need;
}

evaluation_outcome evaluate(const pod_requirement& need, const std::vector<backend::offer>& offers) {
  auto r = evaluate_offers(need, offers);
  if (!r) ADD_FAILURE() << r.err().message;
  return r ? *r : evaluation_outcome{};
}

TEST(EvaluationStages, Agent) {
  auto need = broker(0);
  offer_match m;
  EXPECT_TRUE(agent_stage(need, agent_offer(1), m).passed());
  need.agent_id = "local-agent-1";
  EXPECT_TRUE(agent_stage(need, agent_offer(1), m).passed());
  const auto out = agent_stage(need, agent_offer(2), m);
  EXPECT_EQ(out.stage, "agent");
  EXPECT_EQ(out.reason, "in-place relaunch of node-0 needs agent local-agent-1, the offer is from local-agent-2");
}

TEST(EvaluationStages, Resources) {
  auto need = broker(0);
  offer_match m;
  auto small = agent_offer(1);
  small.available = {0.5, 8192, 100000};
  EXPECT_EQ(resource_stage(need, small, m).reason, "insufficient cpus: need 1.0, offer has 0.5");
  small.available = {0.5, 1024, 10};
  EXPECT_EQ(resource_stage(need, small, m).reason,
            "insufficient cpus: need 1.0, offer has 0.5; insufficient mem: need 2048.0, offer has 1024.0; "
            "insufficient disk: need 5000.0, offer has 10.0");
  EXPECT_TRUE(resource_stage(need, agent_offer(1), m).passed());
}

TEST(EvaluationStages, ResourcesCompareToAThousandth) {
  auto need = broker(0);
  need.resources = model::resources{0.1, 0, 0} + model::resources{0.2, 0, 0};  // 0.30000000000000004
  auto o = agent_offer(1);
  o.available = {0.3, 0, 0};
  offer_match m;
  EXPECT_TRUE(resource_stage(need, o, m).passed());
}

TEST(EvaluationStages, PlacementAndPorts) {
  auto need = broker(1, R"([["hostname", "UNIQUE"]])");
  need.others = {placed("node-0", "local-agent-1")};
  offer_match m;
  EXPECT_EQ(placement_stage(need, agent_offer(1), m).reason, "hostname UNIQUE: node-0 already runs on local-agent-1");
  EXPECT_TRUE(placement_stage(need, agent_offer(2), m).passed());
  need.ports = {port("mqtt", 1883)};
  EXPECT_TRUE(port_stage(need, agent_offer(2), m).passed());
  EXPECT_EQ(m.ports, (port_map{{"mqtt", 1883}}));
  auto o = agent_offer(2);
  o.ports = {{2000, 3000}};
  EXPECT_EQ(port_stage(need, o, m).reason, "port mqtt 1883 not free on local-agent-2");
}

TEST(EvaluationStages, FormatScalarLikeJava) {
  EXPECT_EQ(format_scalar(1), "1.0");
  EXPECT_EQ(format_scalar(0.5), "0.5");
  EXPECT_EQ(format_scalar(2048), "2048.0");
  EXPECT_EQ(format_scalar(0.1), "0.1");
}

TEST(OfferEvaluator, TakesTheFirstOfferThatFits) {
  auto busy = agent_offer(0);
  busy.available.cpus = 0.5;
  const auto out = evaluate(broker(0), {busy, agent_offer(1), agent_offer(2)});
  ASSERT_TRUE(out.matched());
  EXPECT_EQ(*out.match, (offer_match{"offer-1", "local-agent-1", "local-agent-1", "10.0.0.2",
                                     {{"mqtt", 1025}, {"cluster", 1026}}}));
  ASSERT_EQ(out.rejections.size(), 1u);
  EXPECT_EQ(out.rejections[0], (offer_rejection{"offer-0", "local-agent-0", "local-agent-0", "resources",
                                                "insufficient cpus: need 1.0, offer has 0.5"}));
  EXPECT_EQ(out.summary(), "node-0: offer offer-1 on local-agent-1");
}

TEST(OfferEvaluator, ListsTheFirstFailingStageOfEveryOffer) {
  auto need = broker(1, R"([["hostname", "UNIQUE"]])");
  need.ports = {port("mqtt", 1883)};
  need.others = {placed("node-0", "local-agent-0")};
  auto small = agent_offer(1);
  small.available.memory_mb = 512;
  small.ports = {};  // would fail ports too, but resources come first
  auto no_port = agent_offer(2);
  no_port.ports = {{1025, 1800}};
  const auto out = evaluate(need, {agent_offer(0), small, no_port});
  EXPECT_FALSE(out.matched());
  ASSERT_EQ(out.rejections.size(), 3u);
  EXPECT_EQ(out.rejections[0].stage, "placement");
  EXPECT_EQ(out.rejections[1].stage, "resources");
  EXPECT_EQ(out.rejections[2].stage, "ports");
  EXPECT_EQ(out.summary(),
            "node-1: no offer fits: "
            "offer-0 (local-agent-0): placement: hostname UNIQUE: node-0 already runs on local-agent-0; "
            "offer-1 (local-agent-1): resources: insufficient mem: need 2048.0, offer has 512.0; "
            "offer-2 (local-agent-2): ports: port mqtt 1883 not free on local-agent-2");
}

TEST(OfferEvaluator, NoOffers) {
  const auto out = evaluate(broker(0), {});
  EXPECT_FALSE(out.matched());
  EXPECT_EQ(out.summary(), "node-0: no offers");
}

TEST(OfferEvaluator, InPlaceRelaunchKeepsAgentAndPorts) {
  auto need = broker(0);
  need.agent_id = "local-agent-2";
  need.reserved_ports = {{"mqtt", 1500}, {"cluster", 1501}};
  const auto out = evaluate(need, {agent_offer(0), agent_offer(1), agent_offer(2)});
  ASSERT_TRUE(out.matched());
  EXPECT_EQ(out.match->agent_id, "local-agent-2");
  EXPECT_EQ(out.match->ports, (port_map{{"mqtt", 1500}, {"cluster", 1501}}));
  EXPECT_EQ(out.rejections.size(), 2u);
  EXPECT_EQ(out.rejections[0].stage, "agent");
}

TEST(OfferEvaluator, ClashingFixedPortsAreASpecError) {
  auto need = broker(0);
  need.ports = {port("mqtt", 1883), port("mqtt-alt", 1883)};
  const auto r = evaluate_offers(need, {agent_offer(0)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, static_cast<int>(offer_errc::invalid_ports));
  EXPECT_EQ(r.err().message, "node-0: ports mqtt and mqtt-alt both ask for 1883");
}

TEST(OfferEvaluator, CustomStages) {
  const evaluation_stage never = [](const pod_requirement&, const backend::offer&, offer_match&) {
    return stage_outcome{"maintenance", "agent is draining"};
  };
  auto r = evaluate_offers(broker(0), {agent_offer(0)}, {agent_stage, never});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->rejections.size(), 1u);
  EXPECT_EQ(r->rejections[0].to_string(), "offer-0 (local-agent-0): maintenance: agent is draining");
}

// Three brokers on three agents with one node per agent; a fourth finds no agent left.
TEST(OfferScenario, HostnameUniqueSpreadsThreeNodesAndRefusesAFourth) {
  const std::vector offers{agent_offer(0), agent_offer(1), agent_offer(2)};
  std::vector<placed_instance> placed_so_far;
  for (std::uint32_t i = 0; i < 3; ++i) {
    auto need = broker(i, R"([["hostname", "UNIQUE"]])");
    need.others = placed_so_far;
    const auto out = evaluate(need, offers);
    ASSERT_TRUE(out.matched()) << out.summary();
    EXPECT_EQ(out.match->hostname, "local-agent-" + std::to_string(i));
    EXPECT_EQ(out.rejections.size(), i);
    placed_so_far.push_back(placed(need.pod.name(), out.match->hostname));
  }
  auto fourth = broker(3, R"([["hostname", "UNIQUE"]])");
  fourth.others = placed_so_far;
  const auto out = evaluate(fourth, offers);
  EXPECT_FALSE(out.matched());
  EXPECT_EQ(out.summary(),
            "node-3: no offer fits: "
            "offer-0 (local-agent-0): placement: hostname UNIQUE: node-0 already runs on local-agent-0; "
            "offer-1 (local-agent-1): placement: hostname UNIQUE: node-1 already runs on local-agent-1; "
            "offer-2 (local-agent-2): placement: hostname UNIQUE: node-2 already runs on local-agent-2");
  // Replacing node-1 in place is still allowed: it is not its own neighbour.
  auto relaunch = broker(1, R"([["hostname", "UNIQUE"]])");
  relaunch.others = placed_so_far;
  relaunch.agent_id = "local-agent-1";
  const auto again = evaluate(relaunch, offers);
  ASSERT_TRUE(again.matched()) << again.summary();
  EXPECT_EQ(again.match->agent_id, "local-agent-1");
}

// Five nodes over three zones, GROUP_BY 3: the first three land in three zones, then they fill evenly.
TEST(OfferScenario, GroupByZoneSpreadsEvenly) {
  std::vector<backend::offer> offers;
  for (int i = 0; i < 6; ++i) offers.push_back(agent_offer(i, {{"@zone", std::string(1, static_cast<char>('a' + i / 2))}}));
  std::vector<placed_instance> placed_so_far;
  std::map<std::string, int> per_zone;
  for (std::uint32_t i = 0; i < 5; ++i) {
    auto need = broker(i, R"([["hostname", "UNIQUE"], ["@zone", "GROUP_BY", "3"]])");
    need.others = placed_so_far;
    const auto out = evaluate(need, offers);
    ASSERT_TRUE(out.matched()) << out.summary();
    const auto& chosen = *std::find_if(offers.begin(), offers.end(), [&](const auto& o) { return o.id == out.match->offer_id; });
    ++per_zone[chosen.attributes.at("@zone")];
    placed_so_far.push_back(placed(need.pod.name(), chosen.hostname, chosen.attributes));
    if (i == 2) {
      EXPECT_EQ(per_zone, (std::map<std::string, int>{{"a", 1}, {"b", 1}, {"c", 1}}));
    }
  }
  EXPECT_EQ(per_zone, (std::map<std::string, int>{{"a", 2}, {"b", 2}, {"c", 1}}));
}

}  // namespace
}  // namespace ternmq::scheduler::offers
