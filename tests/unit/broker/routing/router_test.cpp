// Tests for `routing::router` without sockets: which sessions a PUBLISH reaches and with what
// QoS, retain flag and subscription identifiers (MQTT 5.0 sections 3.3.4, 3.8.3.1 and 4.8), shared
// groups, unsubscribing, and the retained store. Receivers are real sessions attached to a fake
// sink that counts wake-ups; deliveries are read back with `take_ready`.
#include "broker/routing/router.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace ternmq::routing {
namespace {

using namespace std::chrono_literals;
using session::clock;
using session::delivery;
using session::message;
using session::message_ptr;
using session::outgoing;

class counting_sink : public session::session_sink {
 public:
  void wake() override { wakes.fetch_add(1); }
  void taken_over() override {}
  std::atomic<int> wakes{0};
};

// A session as routing sees it, attached to a counting sink unless `online` is false.
struct client {
  std::shared_ptr<session::session> s;
  std::shared_ptr<counting_sink> sink = std::make_shared<counting_sink>();
  std::uint64_t gen = 0;

  // What the session has queued, taken out (all of it: quotas are not under test here).
  std::vector<delivery> drain() {
    std::vector<outgoing> out;
    s->take_ready(gen, out, 100'000, 65535, clock::now());
    std::vector<delivery> d;
    for (auto& o : out) d.push_back(std::move(o.d));
    return d;
  }
};

client make_client(topic::subscriber_id id, bool online = true) {
  client c;
  c.s = std::make_shared<session::session>(id, "client-" + std::to_string(id),
                                           session::session_limits{0, -1, -1, session::queue_order::fifo});
  if (online) c.gen = c.s->attach(c.sink);
  return c;
}

topic::subscription_options opts(std::uint8_t qos, std::uint32_t identifier = 0, bool no_local = false,
                                 bool retain_as_published = false) {
  return topic::subscription_options{qos, no_local, retain_as_published, identifier};
}

// Subscribes the way the server does: in the session (for unsubscribe_all) and in the router.
void subscribe(router& r, const client& c, const std::string& filter, topic::subscription_options o) {
  const session::subscription sub{filter, o};
  c.s->set_subscription(sub);
  r.subscribe(c.s, sub);
}

message_ptr make_message(const std::string& topic, std::uint8_t qos, bool retain = false,
                         topic::subscriber_id publisher = 0, const std::string& payload = "p") {
  auto m = std::make_shared<message>();
  m->topic = topic;
  m->payload = payload;
  m->qos = qos;
  m->retain = retain;
  m->publisher = publisher;
  return m;
}

// --- plain subscriptions -----------------------------------------------------------------------

TEST(RouterTest, DeliversToMatchingSubscribersOnly) {
  router r({});
  auto a = make_client(1);
  auto b = make_client(2);
  subscribe(r, a, "x/+", opts(1));
  subscribe(r, b, "y/#", opts(1));
  EXPECT_EQ(r.publish(make_message("x/1", 1), 0), 1u);
  EXPECT_EQ(a.drain().size(), 1u);
  EXPECT_TRUE(b.drain().empty());
  EXPECT_EQ(b.sink->wakes, 0);
  EXPECT_EQ(r.publish(make_message("z", 1), 0), 0u);
}

TEST(RouterTest, OverlappingSubscriptionsMergeIntoOneDelivery) {
  router r({});
  auto a = make_client(1);
  subscribe(r, a, "a/+", opts(1, 11));
  subscribe(r, a, "a/b", opts(2, 22));
  subscribe(r, a, "#", opts(0));  // no identifier: adds none
  EXPECT_EQ(r.publish(make_message("a/b", 2), 0), 1u);
  EXPECT_EQ(a.sink->wakes, 1);
  const auto got = a.drain();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].qos, 2);  // the highest granted QoS (MQTT-3.3.4-2)
  auto ids = got[0].subscription_ids;
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::uint32_t>{11, 22}));  // every identifier (MQTT-3.3.4-5)
}

TEST(RouterTest, DowngradesToTheSubscriptionQos) {
  router r({});
  auto a = make_client(1);
  auto b = make_client(2);
  subscribe(r, a, "t", opts(1));
  subscribe(r, b, "t", opts(2));
  r.publish(make_message("t", 2), 0);
  EXPECT_EQ(a.drain().at(0).qos, 1);
  EXPECT_EQ(b.drain().at(0).qos, 2);
  r.publish(make_message("t", 0), 0);  // never upgraded by default
  EXPECT_EQ(a.drain().at(0).qos, 0);
  EXPECT_EQ(b.drain().at(0).qos, 0);
}

TEST(RouterTest, UpgradeOutgoingQosUsesTheSubscriptionQos) {
  router_options o;
  o.upgrade_outgoing_qos = true;
  router r(o);
  auto a = make_client(1);
  subscribe(r, a, "t", opts(2));
  r.publish(make_message("t", 0), 0);
  EXPECT_EQ(a.drain().at(0).qos, 2);
}

TEST(RouterTest, NoLocalSkipsThePublisher) {
  router r({});
  auto a = make_client(1);
  auto b = make_client(2);
  subscribe(r, a, "t", opts(1, 0, true));
  subscribe(r, b, "t", opts(1, 0, true));
  EXPECT_EQ(r.publish(make_message("t", 1, false, /*publisher=*/1), 0), 1u);
  EXPECT_TRUE(a.drain().empty());
  EXPECT_EQ(b.drain().size(), 1u);
}

TEST(RouterTest, NoLocalOnOneOfOverlappingSubscriptions) {
  // The subscription without No Local still delivers to its own publisher.
  router r({});
  auto a = make_client(1);
  subscribe(r, a, "t", opts(1, 1, true));
  subscribe(r, a, "#", opts(0, 2, false));
  EXPECT_EQ(r.publish(make_message("t", 1, false, 1), 0), 1u);
  const auto got = a.drain();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].qos, 0);
  EXPECT_EQ(got[0].subscription_ids, (std::vector<std::uint32_t>{2}));
}

TEST(RouterTest, RetainAsPublished) {
  router r({});
  auto keep = make_client(1);
  auto clear = make_client(2);
  subscribe(r, keep, "t", opts(1, 0, false, true));
  subscribe(r, clear, "t", opts(1, 0, false, false));
  r.publish(make_message("t", 1, /*retain=*/true), 0);
  EXPECT_TRUE(keep.drain().at(0).retain);
  EXPECT_FALSE(clear.drain().at(0).retain);  // MQTT-3.3.1-12
  r.publish(make_message("t", 1, /*retain=*/false), 0);
  EXPECT_FALSE(keep.drain().at(0).retain);
}

TEST(RouterTest, DeliveryCarriesTheSharedMessage) {
  router r({});
  auto a = make_client(1);
  auto b = make_client(2);
  subscribe(r, a, "t", opts(1));
  subscribe(r, b, "t", opts(1));
  const auto m = make_message("t", 1);
  r.publish(m, 0);
  EXPECT_EQ(a.drain().at(0).msg, m);  // the same object, not a copy
  EXPECT_EQ(b.drain().at(0).msg, m);
}

TEST(RouterTest, OfflineSubscriberGetsQos1ButNotQos0) {
  router r({});
  auto a = make_client(1, /*online=*/false);
  subscribe(r, a, "t", opts(1));
  EXPECT_EQ(r.publish(make_message("t", 0), 0), 0u);
  EXPECT_EQ(r.publish(make_message("t", 1), 0), 1u);
  EXPECT_EQ(a.s->queued(), 1u);
}

TEST(RouterTest, DollarTopicsAreNotMatchedByLeadingWildcards) {
  router r({});
  auto all = make_client(1);
  auto sys = make_client(2);
  subscribe(r, all, "#", opts(0));
  subscribe(r, sys, "$SYS/#", opts(0));
  EXPECT_EQ(r.publish(make_message("$SYS/uptime", 0), 0), 1u);
  EXPECT_TRUE(all.drain().empty());
  EXPECT_EQ(sys.drain().size(), 1u);
}

// --- unsubscribing -------------------------------------------------------------------------------

TEST(RouterTest, UnsubscribeStopsDeliveryAndReportsExistence) {
  router r({});
  auto a = make_client(1);
  subscribe(r, a, "t", opts(1));
  EXPECT_EQ(r.subscription_count(), 1u);
  EXPECT_TRUE(r.unsubscribe(1, "t"));
  EXPECT_FALSE(r.unsubscribe(1, "t"));
  EXPECT_FALSE(r.unsubscribe(2, "t"));
  EXPECT_EQ(r.subscription_count(), 0u);
  EXPECT_EQ(r.publish(make_message("t", 1), 0), 0u);
  EXPECT_TRUE(a.drain().empty());
}

TEST(RouterTest, ResubscribeReplacesOptions) {
  router r({});
  auto a = make_client(1);
  subscribe(r, a, "t", opts(0, 1));
  subscribe(r, a, "t", opts(2, 2));
  EXPECT_EQ(r.subscription_count(), 1u);
  r.publish(make_message("t", 2), 0);
  const auto got = a.drain();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].qos, 2);
  EXPECT_EQ(got[0].subscription_ids, (std::vector<std::uint32_t>{2}));
  // One unsubscribe removes the replaced subscription completely.
  EXPECT_TRUE(r.unsubscribe(1, "t"));
  EXPECT_EQ(r.publish(make_message("t", 1), 0), 0u);
}

TEST(RouterTest, UnsubscribeOneFilterKeepsTheOthers) {
  router r({});
  auto a = make_client(1);
  subscribe(r, a, "a/+", opts(1));
  subscribe(r, a, "a/b", opts(1));
  EXPECT_TRUE(r.unsubscribe(1, "a/b"));
  EXPECT_EQ(r.publish(make_message("a/b", 1), 0), 1u);
}

TEST(RouterTest, UnsubscribeAllRemovesEverySubscriptionOfTheSession) {
  router r({});
  auto a = make_client(1);
  auto b = make_client(2);
  subscribe(r, a, "a/#", opts(1));
  subscribe(r, a, "$share/g/a/b", opts(1));
  subscribe(r, b, "a/#", opts(1));
  EXPECT_EQ(r.subscription_count(), 3u);
  r.unsubscribe_all(*a.s);
  EXPECT_EQ(r.subscription_count(), 1u);
  EXPECT_EQ(r.publish(make_message("a/b", 1), 0), 1u);
  EXPECT_TRUE(a.drain().empty());
  EXPECT_EQ(b.drain().size(), 1u);
}

TEST(RouterTest, EveryReplicaSeesSubscriptionChanges) {
  router_options o;
  o.replicas = 3;
  router r(o);
  auto a = make_client(1);
  subscribe(r, a, "t", opts(1));
  for (std::size_t replica = 0; replica < 4; ++replica) EXPECT_EQ(r.publish(make_message("t", 1), replica), 1u);
  EXPECT_EQ(a.drain().size(), 4u);
  r.unsubscribe(1, "t");
  for (std::size_t replica = 0; replica < 3; ++replica) EXPECT_EQ(r.publish(make_message("t", 1), replica), 0u);
}

// --- shared subscriptions ----------------------------------------------------------------------

TEST(RouterSharedTest, EachMessageGoesToExactlyOneMember) {
  router r({});
  std::vector<client> members;
  for (topic::subscriber_id id = 1; id <= 3; ++id) {
    members.push_back(make_client(id));
    subscribe(r, members.back(), "$share/g/jobs/+", opts(1, 5));
  }
  const int n = 300;
  for (int i = 0; i < n; ++i) ASSERT_EQ(r.publish(make_message("jobs/x", 1), 0), 1u);
  int total = 0;
  for (auto& m : members) {
    const auto got = m.drain();
    total += static_cast<int>(got.size());
    for (const auto& d : got) EXPECT_EQ(d.subscription_ids, (std::vector<std::uint32_t>{5}));
    // The pick is random: with 300 messages each member gets some (probability of a miss ~1e-53).
    EXPECT_GT(got.size(), 0u);
  }
  EXPECT_EQ(total, n);
}

TEST(RouterSharedTest, PrefersOnlineMembers) {
  router r({});
  auto online = make_client(1, true);
  auto offline1 = make_client(2, false);
  auto offline2 = make_client(3, false);
  for (const auto* c : {&online, &offline1, &offline2}) subscribe(r, *c, "$share/g/t", opts(1));
  for (int i = 0; i < 50; ++i) r.publish(make_message("t", 1), 0);
  EXPECT_EQ(online.drain().size(), 50u);
  EXPECT_EQ(offline1.s->queued(), 0u);
  EXPECT_EQ(offline2.s->queued(), 0u);
}

TEST(RouterSharedTest, AMemberWithAFullQueueHandsTheMessageToAnother) {
  router r({});
  auto full = make_client(1, true);
  full.s->set_limits({0, 0, -1, session::queue_order::fifo});  // max_online_messages 0: takes nothing
  auto open = make_client(2, true);
  subscribe(r, full, "$share/g/t", opts(1));
  subscribe(r, open, "$share/g/t", opts(1));
  for (int i = 0; i < 20; ++i) EXPECT_EQ(r.publish(make_message("t", 1), 0), 1u);
  EXPECT_EQ(open.drain().size(), 20u);
}

TEST(RouterSharedTest, AllOfflineStillQueuesQos1OnOneMember) {
  router r({});
  auto a = make_client(1, false);
  auto b = make_client(2, false);
  subscribe(r, a, "$share/g/t", opts(1));
  subscribe(r, b, "$share/g/t", opts(1));
  EXPECT_EQ(r.publish(make_message("t", 1), 0), 1u);
  EXPECT_EQ(a.s->queued() + b.s->queued(), 1u);
}

TEST(RouterSharedTest, GroupsAndPlainSubscriptionsEachDeliver) {
  router r({});
  auto a = make_client(1);
  auto b = make_client(2);
  subscribe(r, a, "$share/g1/t", opts(1));
  subscribe(r, b, "$share/g2/t", opts(1));
  subscribe(r, a, "t", opts(1));
  // g1 -> a, g2 -> b, plain -> a: three deliveries, two of them to a.
  EXPECT_EQ(r.publish(make_message("t", 1), 0), 3u);
  EXPECT_EQ(a.drain().size(), 2u);
  EXPECT_EQ(b.drain().size(), 1u);
}

TEST(RouterSharedTest, SharedQosRetainAndUnsubscribe) {
  router r({});
  auto a = make_client(1);
  subscribe(r, a, "$share/g/t", opts(1, 0, false, false));
  r.publish(make_message("t", 2, /*retain=*/true), 0);
  const auto got = a.drain();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].qos, 1);
  EXPECT_FALSE(got[0].retain);
  EXPECT_FALSE(r.unsubscribe(1, "t"));  // the plain filter is another subscription
  EXPECT_TRUE(r.unsubscribe(1, "$share/g/t"));
  EXPECT_EQ(r.publish(make_message("t", 1), 0), 0u);
}

// --- retained messages -----------------------------------------------------------------------

std::vector<std::string> retained_topics(const router& r, const std::string& filter) {
  std::vector<std::string> out;
  r.retained_matching(filter, [&](const message_ptr& m) { out.push_back(m->topic); });
  std::sort(out.begin(), out.end());
  return out;
}

TEST(RouterRetainedTest, StoresReplacesAndClearsWithEmptyPayload) {
  router r({});
  r.retain(make_message("a/b", 1, true, 0, "one"));
  r.retain(make_message("a/c", 1, true, 0, "two"));
  EXPECT_EQ(r.retained_count(), 2u);
  r.retain(make_message("a/b", 1, true, 0, "three"));
  EXPECT_EQ(r.retained_count(), 2u);
  std::vector<std::string> payloads;
  r.retained_matching("a/b", [&](const message_ptr& m) { payloads.push_back(m->payload); });
  EXPECT_EQ(payloads, (std::vector<std::string>{"three"}));

  r.retain(make_message("a/b", 1, true, 0, ""));  // MQTT-3.3.1-10
  EXPECT_EQ(r.retained_count(), 1u);
  EXPECT_EQ(retained_topics(r, "a/#"), (std::vector<std::string>{"a/c"}));
}

TEST(RouterRetainedTest, MatchesWildcardsWithTheDollarRule) {
  router r({});
  for (const char* t : {"a", "a/b", "a/b/c", "$SYS/x"}) r.retain(make_message(t, 0, true));
  EXPECT_EQ(retained_topics(r, "a/#"), (std::vector<std::string>{"a", "a/b", "a/b/c"}));
  EXPECT_EQ(retained_topics(r, "a/+"), (std::vector<std::string>{"a/b"}));
  EXPECT_EQ(retained_topics(r, "#"), (std::vector<std::string>{"a", "a/b", "a/b/c"}));
  EXPECT_EQ(retained_topics(r, "$SYS/#"), (std::vector<std::string>{"$SYS/x"}));
}

TEST(RouterRetainedTest, SkipsExpiredMessages) {
  router r({});
  auto expired = std::make_shared<message>(*make_message("old", 1, true));
  expired->expires_at = clock::now() - 1s;
  auto fresh = std::make_shared<message>(*make_message("new", 1, true));
  fresh->expires_at = clock::now() + 1h;
  r.retain(expired);
  r.retain(fresh);
  EXPECT_EQ(retained_topics(r, "#"), (std::vector<std::string>{"new"}));
}

TEST(RouterRetainedTest, RetainingDoesNotRoute) {
  router r({});
  auto a = make_client(1);
  subscribe(r, a, "t", opts(1));
  r.retain(make_message("t", 1, true));
  EXPECT_TRUE(a.drain().empty());
  EXPECT_EQ(a.sink->wakes, 0);
}

}  // namespace
}  // namespace ternmq::routing
