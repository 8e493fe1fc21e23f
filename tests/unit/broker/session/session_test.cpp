// Tests for `session::session` without sockets: the outbound queue and its limits and order,
// QoS 1/2 flight state and packet identifiers, generations, will delay and expiry. Time is
// passed in, never slept on; the connection is a fake sink that counts its wake-ups.
#include "broker/session/session.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace ternmq::session {
namespace {

using namespace std::chrono_literals;

class counting_sink : public session_sink {
 public:
  void wake() override { wakes.fetch_add(1); }
  void taken_over() override { takeovers.fetch_add(1); }
  std::atomic<int> wakes{0};
  std::atomic<int> takeovers{0};
};

const clock::time_point t0 = clock::now();

message_ptr make_message(const std::string& payload, std::uint8_t qos = 1,
                         std::optional<clock::time_point> expires_at = std::nullopt) {
  auto m = std::make_shared<message>();
  m->topic = "t";
  m->payload = payload;
  m->qos = qos;
  m->expires_at = expires_at;
  return m;
}

delivery deliver(const std::string& payload, std::uint8_t qos = 1) { return delivery{make_message(payload, qos), qos, false, {}}; }

session_limits limits(std::int64_t online, std::int64_t offline, queue_order order = queue_order::fifo,
                      std::uint32_t max_inflight = 20) {
  return session_limits{max_inflight, online, offline, order};
}

std::vector<outgoing> take(session& s, std::uint64_t gen, std::uint16_t receive_maximum = 65535,
                           std::size_t max_batch = 1000, clock::time_point now = t0) {
  std::vector<outgoing> out;
  s.take_ready(gen, out, max_batch, receive_maximum, now);
  return out;
}

std::vector<std::string> payloads(const std::vector<outgoing>& out) {
  std::vector<std::string> p;
  for (const auto& o : out) p.push_back(o.d.msg ? o.d.msg->payload : "<none>");
  return p;
}

struct attached {
  std::shared_ptr<counting_sink> sink = std::make_shared<counting_sink>();
  std::uint64_t gen = 0;
};

attached attach(session& s) {
  attached a;
  a.gen = s.attach(a.sink);
  return a;
}

// --- queue limits and order ------------------------------------------------------------------

TEST(SessionQueueTest, OnlineEnqueueQueuesAndWakes) {
  session s(1, "c", limits(10, 10));
  auto a = attach(s);
  EXPECT_TRUE(s.enqueue(deliver("m", 0)));
  EXPECT_TRUE(s.enqueue(deliver("m", 1)));
  EXPECT_EQ(s.queued(), 2u);
  EXPECT_EQ(a.sink->wakes, 2);
}

TEST(SessionQueueTest, OfflineQos0IsDroppedAndCounted) {
  queue_counters node;
  session s(1, "c", limits(10, 10), &node);
  EXPECT_FALSE(s.enqueue(deliver("q0", 0)));
  EXPECT_TRUE(s.enqueue(deliver("q1", 1)));
  EXPECT_TRUE(s.enqueue(deliver("q2", 2)));
  EXPECT_EQ(s.queued(), 2u);
  EXPECT_EQ(s.counters().dropped_offline_qos0, 1u);
  EXPECT_EQ(node.dropped_offline_qos0.load(), 1u);
  EXPECT_EQ(s.counters().dropped_queue_full, 0u);
}

TEST(SessionQueueTest, DetachDropsQueuedQos0) {
  queue_counters node;
  session s(1, "c", limits(10, 10), &node);
  auto a = attach(s);
  s.enqueue(deliver("q0", 0));
  s.enqueue(deliver("q1", 1));
  s.enqueue(deliver("q0b", 0));
  ASSERT_TRUE(s.detach(a.gen, t0));
  EXPECT_EQ(s.queued(), 1u);
  EXPECT_EQ(s.counters().dropped_offline_qos0, 2u);
  EXPECT_EQ(node.dropped_offline_qos0.load(), 2u);
  auto b = attach(s);
  EXPECT_EQ(payloads(take(s, b.gen)), (std::vector<std::string>{"q1"}));
}

TEST(SessionQueueTest, FifoDropsTheNewcomerWhenFull) {
  queue_counters node;
  session s(1, "c", limits(2, 10, queue_order::fifo), &node);
  auto a = attach(s);
  EXPECT_TRUE(s.enqueue(deliver("1")));
  EXPECT_TRUE(s.enqueue(deliver("2")));
  EXPECT_FALSE(s.enqueue(deliver("3")));
  EXPECT_EQ(a.sink->wakes, 2);  // a dropped message wakes nobody
  EXPECT_EQ(s.queued(), 2u);
  EXPECT_EQ(s.counters().dropped_queue_full, 1u);
  EXPECT_EQ(node.dropped_queue_full.load(), 1u);
  EXPECT_EQ(payloads(take(s, a.gen)), (std::vector<std::string>{"1", "2"}));
}

TEST(SessionQueueTest, LifoDropsTheOldestAndDeliversNewestFirst) {
  session s(1, "c", limits(2, 10, queue_order::lifo));
  auto a = attach(s);
  EXPECT_TRUE(s.enqueue(deliver("1")));
  EXPECT_TRUE(s.enqueue(deliver("2")));
  EXPECT_TRUE(s.enqueue(deliver("3")));  // accepted: "1" makes room
  EXPECT_EQ(s.queued(), 2u);
  EXPECT_EQ(s.counters().dropped_queue_full, 1u);
  EXPECT_EQ(a.sink->wakes, 3);
  EXPECT_EQ(payloads(take(s, a.gen)), (std::vector<std::string>{"3", "2"}));
}

TEST(SessionQueueTest, OfflineLimitAppliesWhileOffline) {
  session s(1, "c", limits(10, 1));
  EXPECT_TRUE(s.enqueue(deliver("1")));
  EXPECT_FALSE(s.enqueue(deliver("2")));
  EXPECT_EQ(s.counters().dropped_queue_full, 1u);
  attach(s);
  EXPECT_TRUE(s.enqueue(deliver("3")));  // online now: the online limit applies
  EXPECT_EQ(s.queued(), 2u);
}

TEST(SessionQueueTest, MinusOneIsUnlimited) {
  session s(1, "c", limits(-1, -1));
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(s.enqueue(deliver(std::to_string(i))));
  attach(s);
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(s.enqueue(deliver(std::to_string(i), 0)));
  EXPECT_EQ(s.queued(), 10000u);
  EXPECT_EQ(s.counters().dropped_queue_full, 0u);
}

TEST(SessionQueueTest, ZeroBlocksEverything) {
  for (queue_order order : {queue_order::fifo, queue_order::lifo}) {
    session s(1, "c", limits(0, 0, order));
    EXPECT_FALSE(s.enqueue(deliver("offline")));
    auto a = attach(s);
    EXPECT_FALSE(s.enqueue(deliver("online")));
    EXPECT_EQ(s.queued(), 0u);
    EXPECT_EQ(s.counters().dropped_queue_full, 2u);
    EXPECT_EQ(a.sink->wakes, 0);
  }
}

TEST(SessionQueueTest, NodeCountersSumOverSessions) {
  queue_counters node;
  session a(1, "a", limits(1, 1), &node);
  session b(2, "b", limits(1, 1), &node);
  a.enqueue(deliver("1"));
  a.enqueue(deliver("2"));
  b.enqueue(deliver("1"));
  b.enqueue(deliver("2"));
  b.enqueue(deliver("x", 0));
  EXPECT_EQ(node.dropped_queue_full.load(), 2u);
  EXPECT_EQ(node.dropped_offline_qos0.load(), 1u);
}

// --- taking messages into flight ------------------------------------------------------------

TEST(SessionFlightTest, ReceiveMaximumLimitsMessagesInFlight) {
  session s(1, "c", limits(100, 100, queue_order::fifo, 20));
  auto a = attach(s);
  for (int i = 0; i < 5; ++i) s.enqueue(deliver(std::to_string(i)));
  auto first = take(s, a.gen, 3);
  EXPECT_EQ(payloads(first), (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(s.inflight(), 3u);
  EXPECT_EQ(s.queued(), 2u);
  EXPECT_TRUE(take(s, a.gen, 3).empty());  // quota used up
  ASSERT_TRUE(s.on_puback(first[0].packet_id));
  EXPECT_EQ(payloads(take(s, a.gen, 3)), (std::vector<std::string>{"3"}));
}

TEST(SessionFlightTest, MaxInflightLimitsWhenSmallerThanReceiveMaximum) {
  session s(1, "c", limits(100, 100, queue_order::fifo, 2));
  auto a = attach(s);
  for (int i = 0; i < 5; ++i) s.enqueue(deliver(std::to_string(i)));
  EXPECT_EQ(take(s, a.gen, 65535).size(), 2u);
}

TEST(SessionFlightTest, MaxInflightZeroMeansNoLimit) {
  session s(1, "c", limits(-1, -1, queue_order::fifo, 0));
  auto a = attach(s);
  for (int i = 0; i < 300; ++i) s.enqueue(deliver(std::to_string(i)));
  EXPECT_EQ(take(s, a.gen, 65535).size(), 300u);
}

TEST(SessionFlightTest, Qos0DoesNotUseTheQuota) {
  session s(1, "c", limits(100, 100));
  auto a = attach(s);
  s.enqueue(deliver("q1", 1));
  s.enqueue(deliver("q0a", 0));
  s.enqueue(deliver("q0b", 0));
  const auto out = take(s, a.gen, 1);
  EXPECT_EQ(payloads(out), (std::vector<std::string>{"q1", "q0a", "q0b"}));
  EXPECT_EQ(out[1].packet_id, 0);
  EXPECT_EQ(out[2].packet_id, 0);
  EXPECT_EQ(s.inflight(), 1u);
}

TEST(SessionFlightTest, QuotaKeepsOrder) {
  // A QoS 1 message that does not fit holds back the QoS 0 message behind it: no reordering.
  session s(1, "c", limits(100, 100));
  auto a = attach(s);
  s.enqueue(deliver("a", 1));
  s.enqueue(deliver("b", 1));
  s.enqueue(deliver("c", 0));
  EXPECT_EQ(payloads(take(s, a.gen, 1)), (std::vector<std::string>{"a"}));
  EXPECT_EQ(s.queued(), 2u);
}

TEST(SessionFlightTest, MaxBatchLimitsOneCall) {
  session s(1, "c", limits(100, 100));
  auto a = attach(s);
  for (int i = 0; i < 5; ++i) s.enqueue(deliver(std::to_string(i), 0));
  EXPECT_EQ(take(s, a.gen, 65535, 2).size(), 2u);
  EXPECT_EQ(s.queued(), 3u);
}

TEST(SessionFlightTest, ExpiredMessagesAreSkippedAndCounted) {
  queue_counters node;
  session s(1, "c", limits(100, 100), &node);
  auto a = attach(s);
  s.enqueue(delivery{make_message("old", 1, t0 + 10s), 1, false, {}});
  s.enqueue(delivery{make_message("fresh", 1, t0 + 60s), 1, false, {}});
  s.enqueue(delivery{make_message("forever", 1), 1, false, {}});
  const auto out = take(s, a.gen, 65535, 1000, t0 + 10s);  // expiry is inclusive
  EXPECT_EQ(payloads(out), (std::vector<std::string>{"fresh", "forever"}));
  EXPECT_EQ(s.counters().dropped_expired, 1u);
  EXPECT_EQ(node.dropped_expired.load(), 1u);
  EXPECT_EQ(s.inflight(), 2u);  // the expired one took no packet identifier
}

TEST(SessionFlightTest, DeliveryCarriesReceiverFields) {
  session s(1, "c", limits(100, 100));
  auto a = attach(s);
  s.enqueue(delivery{make_message("m", 2), 1, true, {7, 9}});
  const auto out = take(s, a.gen);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].what, outgoing::kind::publish);
  EXPECT_EQ(out[0].d.qos, 1);
  EXPECT_TRUE(out[0].d.retain);
  EXPECT_EQ(out[0].d.subscription_ids, (std::vector<std::uint32_t>{7, 9}));
  EXPECT_FALSE(out[0].dup);
}

// --- packet identifiers ----------------------------------------------------------------------

TEST(SessionPacketIdTest, StartAtOneAndIncrease) {
  session s(1, "c", limits(100, 100));
  auto a = attach(s);
  for (int i = 0; i < 3; ++i) s.enqueue(deliver(std::to_string(i)));
  const auto out = take(s, a.gen);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].packet_id, 1);
  EXPECT_EQ(out[1].packet_id, 2);
  EXPECT_EQ(out[2].packet_id, 3);
}

TEST(SessionPacketIdTest, WrapSkipsZeroAndIdsStillInUse) {
  session s(1, "c", limits(-1, -1, queue_order::fifo, 0));
  auto a = attach(s);
  // Identifier 1 stays in flight for the whole test.
  s.enqueue(deliver("held"));
  ASSERT_EQ(take(s, a.gen).at(0).packet_id, 1);
  // Cycle every other identifier once: 2 .. 65535.
  for (std::uint32_t expected = 2; expected <= 0xFFFF; ++expected) {
    s.enqueue(deliver("x"));
    const auto out = take(s, a.gen);
    ASSERT_EQ(out.size(), 1u);
    ASSERT_EQ(out[0].packet_id, expected);
    ASSERT_TRUE(s.on_puback(out[0].packet_id));
  }
  // After 65535 the next is neither 0 nor the 1 still in flight.
  s.enqueue(deliver("after wrap"));
  const auto out = take(s, a.gen);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].packet_id, 2);
}

// --- acknowledgements ------------------------------------------------------------------------

TEST(SessionAckTest, PubackCompletesQos1Once) {
  session s(1, "c", limits(100, 100));
  auto a = attach(s);
  s.enqueue(deliver("m", 1));
  const auto id = take(s, a.gen).at(0).packet_id;
  EXPECT_FALSE(s.on_pubrec(id));   // wrong flow for QoS 1
  EXPECT_FALSE(s.on_pubcomp(id));
  EXPECT_TRUE(s.on_puback(id));
  EXPECT_EQ(s.inflight(), 0u);
  EXPECT_FALSE(s.on_puback(id));   // already done
}

TEST(SessionAckTest, Qos2NeedsPubrecThenPubcomp) {
  session s(1, "c", limits(100, 100));
  auto a = attach(s);
  s.enqueue(deliver("m", 2));
  const auto id = take(s, a.gen).at(0).packet_id;
  EXPECT_FALSE(s.on_puback(id));   // wrong flow for QoS 2
  EXPECT_FALSE(s.on_pubcomp(id));  // PUBREC first
  EXPECT_TRUE(s.on_pubrec(id));
  EXPECT_EQ(s.inflight(), 1u);     // still counts against Receive Maximum until PUBCOMP
  EXPECT_FALSE(s.on_puback(id));
  EXPECT_TRUE(s.on_pubcomp(id));
  EXPECT_EQ(s.inflight(), 0u);
  EXPECT_FALSE(s.on_pubcomp(id));
}

TEST(SessionAckTest, UnknownIdentifiersAreRefused) {
  session s(1, "c", limits(100, 100));
  attach(s);
  for (std::uint16_t id : {0, 1, 42, 65535}) {
    EXPECT_FALSE(s.on_puback(id));
    EXPECT_FALSE(s.on_pubrec(id));
    EXPECT_FALSE(s.on_pubcomp(id));
  }
}

TEST(SessionAckTest, ForgetInflightFreesTheIdentifierAndQuota) {
  session s(1, "c", limits(100, 100));
  auto a = attach(s);
  s.enqueue(deliver("too big"));
  s.enqueue(deliver("next"));
  const auto id = take(s, a.gen, 1).at(0).packet_id;
  s.forget_inflight(id);
  EXPECT_EQ(s.inflight(), 0u);
  EXPECT_FALSE(s.on_puback(id));
  EXPECT_EQ(payloads(take(s, a.gen, 1)), (std::vector<std::string>{"next"}));
}

TEST(SessionAckTest, IncomingQos2IdentifiersDetectDuplicates) {
  session s(1, "c", limits(100, 100));
  EXPECT_TRUE(s.begin_incoming_qos2(5));
  EXPECT_FALSE(s.begin_incoming_qos2(5));
  EXPECT_TRUE(s.begin_incoming_qos2(6));
  EXPECT_EQ(s.incoming_qos2_pending(), 2u);
  EXPECT_TRUE(s.release_incoming_qos2(5));
  EXPECT_FALSE(s.release_incoming_qos2(5));
  EXPECT_TRUE(s.begin_incoming_qos2(5));  // reusable once released
  EXPECT_EQ(s.incoming_qos2_pending(), 2u);
}

// --- resending --------------------------------------------------------------------------------

TEST(SessionResendTest, ResendsInFirstSentOrderWithDupAndPubrel) {
  session s(1, "c", limits(100, 100));
  auto a = attach(s);
  s.enqueue(deliver("a", 1));
  s.enqueue(deliver("b", 2));
  s.enqueue(deliver("c", 1));
  s.enqueue(deliver("d", 2));
  const auto sent = take(s, a.gen);
  ASSERT_EQ(sent.size(), 4u);
  ASSERT_TRUE(s.on_puback(sent[2].packet_id));  // "c" done
  ASSERT_TRUE(s.on_pubrec(sent[1].packet_id));  // "b" released: only PUBREL is due

  auto b = attach(s);  // the client reconnects
  std::vector<outgoing> out;
  s.resend_inflight(b.gen, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].what, outgoing::kind::publish);
  EXPECT_EQ(out[0].packet_id, sent[0].packet_id);
  EXPECT_TRUE(out[0].dup);
  EXPECT_EQ(out[0].d.msg->payload, "a");
  EXPECT_EQ(out[1].what, outgoing::kind::pubrel);
  EXPECT_EQ(out[1].packet_id, sent[1].packet_id);
  EXPECT_FALSE(out[1].dup);
  EXPECT_EQ(out[2].what, outgoing::kind::publish);
  EXPECT_EQ(out[2].packet_id, sent[3].packet_id);
  EXPECT_TRUE(out[2].dup);
  EXPECT_EQ(out[2].d.qos, 2);
  // Resending changes nothing: the same entries are still in flight.
  EXPECT_EQ(s.inflight(), 3u);
}

TEST(SessionResendTest, RetriesOnlyAfterTheInterval) {
  session s(1, "c", limits(100, 100));
  auto a = attach(s);
  s.enqueue(deliver("a", 1));
  ASSERT_EQ(take(s, a.gen, 65535, 1000, t0).size(), 1u);
  std::vector<outgoing> out;
  s.collect_retries(a.gen, t0 + 9s, 10s, out);
  EXPECT_TRUE(out.empty());
  s.collect_retries(a.gen, t0 + 10s, 10s, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].dup);
  out.clear();
  s.collect_retries(a.gen, t0 + 15s, 10s, out);  // the retry restarted the clock
  EXPECT_TRUE(out.empty());
}

// --- generations, attach and detach ----------------------------------------------------------

TEST(SessionGenerationTest, StaleGenerationGetsNothing) {
  session s(1, "c", limits(100, 100));
  auto first = attach(s);
  s.enqueue(deliver("a"));
  ASSERT_EQ(take(s, first.gen).size(), 1u);
  s.enqueue(deliver("b"));

  auto second = attach(s);  // taken over
  EXPECT_NE(first.gen, second.gen);
  EXPECT_FALSE(s.attached_as(first.gen));
  EXPECT_TRUE(s.attached_as(second.gen));
  EXPECT_TRUE(take(s, first.gen).empty());
  std::vector<outgoing> resent;
  s.resend_inflight(first.gen, resent);
  s.collect_retries(first.gen, t0 + 1h, 1s, resent);
  EXPECT_TRUE(resent.empty());
  EXPECT_FALSE(s.detach(first.gen, t0));  // the old connection closing does not detach the new one
  EXPECT_TRUE(s.online());
  EXPECT_EQ(payloads(take(s, second.gen)), (std::vector<std::string>{"b"}));
}

TEST(SessionGenerationTest, DetachedSessionGivesNothingEvenToItsLastGeneration) {
  session s(1, "c", limits(100, 100));
  auto a = attach(s);
  s.enqueue(deliver("a"));
  ASSERT_TRUE(s.detach(a.gen, t0));
  EXPECT_FALSE(s.detach(a.gen, t0));
  EXPECT_FALSE(s.online());
  EXPECT_FALSE(s.attached_as(a.gen));
  EXPECT_TRUE(take(s, a.gen).empty());
  EXPECT_EQ(s.queued(), 1u);
}

TEST(SessionGenerationTest, OfflineSinceIsSetByDetachAndClearedByAttach) {
  session s(1, "c", limits(100, 100));
  EXPECT_FALSE(s.offline_since().has_value());
  auto a = attach(s);
  s.detach(a.gen, t0 + 5s);
  EXPECT_EQ(s.offline_since(), t0 + 5s);
  attach(s);
  EXPECT_FALSE(s.offline_since().has_value());
}

TEST(SessionGenerationTest, OfflineEnqueueDoesNotWakeTheOldSink) {
  session s(1, "c", limits(100, 100));
  auto a = attach(s);
  s.detach(a.gen, t0);
  s.enqueue(deliver("m"));
  EXPECT_EQ(a.sink->wakes, 0);
}

TEST(SessionGenerationTest, NotifyTakenOverReachesTheAttachedSinkOnly) {
  session s(1, "c", limits(100, 100));
  s.notify_taken_over();  // nobody attached: nothing to tell
  auto a = attach(s);
  s.notify_taken_over();
  EXPECT_EQ(a.sink->takeovers, 1);
}

// --- will delay, subscriptions, expiry ---------------------------------------------------------

TEST(SessionWillTest, DelayedWillIsTakenWhenDueOnce) {
  session s(1, "c", limits(100, 100));
  const auto will = make_message("gone");
  s.set_delayed_will(will, t0 + 30s);
  EXPECT_EQ(s.take_delayed_will(t0 + 29s, false), nullptr);
  EXPECT_EQ(s.take_delayed_will(t0 + 30s, false), will);
  EXPECT_EQ(s.take_delayed_will(t0 + 31s, false), nullptr);
}

TEST(SessionWillTest, ForceTakesItEarly) {
  session s(1, "c", limits(100, 100));
  const auto will = make_message("gone");
  s.set_delayed_will(will, t0 + 30s);
  EXPECT_EQ(s.take_delayed_will(t0, true), will);
  EXPECT_EQ(s.take_delayed_will(t0 + 1h, true), nullptr);
}

TEST(SessionWillTest, AttachCancelsTheDelayedWill) {
  session s(1, "c", limits(100, 100));
  s.set_delayed_will(make_message("gone"), t0 + 30s);
  attach(s);
  EXPECT_EQ(s.take_delayed_will(t0 + 1h, true), nullptr);
}

TEST(SessionSubscriptionTest, SetReplaceRemove) {
  session s(1, "c", limits(100, 100));
  topic::subscription_options o;
  o.qos = 1;
  s.set_subscription({"a/#", o});
  o.qos = 2;
  s.set_subscription({"a/#", o});  // replaces
  s.set_subscription({"$share/g/b", o});
  const auto subs = s.subscriptions();
  ASSERT_EQ(subs.size(), 2u);
  const auto it = std::find_if(subs.begin(), subs.end(), [](const subscription& x) { return x.filter == "a/#"; });
  ASSERT_NE(it, subs.end());
  EXPECT_EQ(it->options.qos, 2);
  EXPECT_TRUE(s.remove_subscription("a/#"));
  EXPECT_FALSE(s.remove_subscription("a/#"));
  EXPECT_EQ(s.subscriptions().size(), 1u);
}

TEST(SessionSubscriptionTest, ClearDropsSubscriptionsQueueAndFlight) {
  session s(1, "c", limits(100, 100));
  auto a = attach(s);
  s.set_subscription({"a", {}});
  s.enqueue(deliver("1"));
  s.enqueue(deliver("2"));
  ASSERT_EQ(take(s, a.gen, 1).size(), 1u);
  s.begin_incoming_qos2(9);
  s.clear();
  EXPECT_TRUE(s.subscriptions().empty());
  EXPECT_EQ(s.queued(), 0u);
  EXPECT_EQ(s.inflight(), 0u);
  EXPECT_EQ(s.incoming_qos2_pending(), 0u);
}

TEST(SessionExpiryTest, ExpiryIntervalIsKept) {
  session s(1, "c", limits(100, 100));
  EXPECT_EQ(s.expiry_interval(), 0u);
  s.set_expiry_interval(0xFFFFFFFF);
  EXPECT_EQ(s.expiry_interval(), 0xFFFFFFFFu);
}

TEST(SessionLimitsTest, NewLimitsApplyToLaterMessages) {
  session s(1, "c", limits(1, 1));
  auto a = attach(s);
  EXPECT_TRUE(s.enqueue(deliver("1")));
  EXPECT_FALSE(s.enqueue(deliver("2")));
  s.set_limits(limits(5, 5));
  EXPECT_TRUE(s.enqueue(deliver("3")));
  EXPECT_EQ(payloads(take(s, a.gen)), (std::vector<std::string>{"1", "3"}));
}

}  // namespace
}  // namespace ternmq::session
