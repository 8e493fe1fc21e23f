// The message store over an in-memory kv_store: what is saved comes back at load, what is
// acknowledged or erased does not, and corrupt records are skipped and counted.
#include "broker/store/message_store.hpp"

#include <gtest/gtest.h>

#include "broker/session/session.hpp"
#include "core/kv/memory_kv_store.hpp"

namespace ternmq::store {
namespace {

session::message_ptr make_message(std::string topic, std::string payload, std::uint8_t qos = 1) {
  auto m = std::make_shared<session::message>();
  m->topic = std::move(topic);
  m->payload = std::move(payload);
  m->qos = qos;
  m->props.content_type = "text/plain";
  m->props.user = {{"k", "v"}, {"k", "w"}};
  m->publisher = 42;
  return m;
}

class MessageStoreTest : public ::testing::Test {
 protected:
  core::kv::memory_kv_store kv;
  message_store store{kv};
};

TEST_F(MessageStoreTest, SavedMessagesComeBackInOrderWithTheirDeliveryState) {
  session::session_record rec{"client-1", 3600, {{"a/#", {1, false, true, 7}}}, {}};
  store.save_session(rec);
  const auto seq1 = store.save_message("client-1", {make_message("a/1", "one"), 1, false, {7}});
  const auto seq2 = store.save_message("client-1", {make_message("a/2", "two", 2), 2, true, {}});
  ASSERT_NE(seq1, 0u);
  ASSERT_LT(seq1, seq2);
  store.save_in_flight("client-1", seq2, {make_message("a/2", "two", 2), 2, true, {}}, 17, true);

  auto loaded = store.load();
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->sessions.size(), 1u);
  const auto& s = loaded->sessions[0];
  EXPECT_EQ(s.record.client_id, "client-1");
  EXPECT_EQ(s.record.expiry_interval, 3600u);
  ASSERT_EQ(s.record.subscriptions.size(), 1u);
  EXPECT_EQ(s.record.subscriptions[0].filter, "a/#");
  EXPECT_TRUE(s.record.subscriptions[0].options.retain_as_published);
  EXPECT_EQ(s.record.subscriptions[0].options.identifier, 7u);
  ASSERT_EQ(s.messages.size(), 2u);
  EXPECT_EQ(s.messages[0].first, seq1);
  EXPECT_EQ(s.messages[0].second.msg->payload, "one");
  EXPECT_EQ(s.messages[0].second.subscription_ids, std::vector<std::uint32_t>{7});
  EXPECT_EQ(s.messages[0].second.msg->props.user.size(), 2u);
  EXPECT_EQ(s.messages[0].second.msg->publisher, 42u);
  EXPECT_EQ(s.messages[1].second.packet_id, 17);
  EXPECT_TRUE(s.messages[1].second.released);
  EXPECT_TRUE(s.messages[1].second.retain);
  EXPECT_EQ(s.messages[1].second.qos, 2);
}

TEST_F(MessageStoreTest, ErasedMessagesAndSessionsStayGone) {
  store.save_session({"c", 10, {}, {}});
  const auto seq = store.save_message("c", {make_message("t", "x"), 1, false, {}});
  store.save_message("c", {make_message("t", "y"), 1, false, {}});
  store.erase_message("c", seq);
  auto loaded = store.load();
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->sessions.at(0).messages.size(), 1u);
  EXPECT_EQ(loaded->sessions.at(0).messages[0].second.msg->payload, "y");

  store.erase_session("c");
  EXPECT_EQ(kv.size(), 0u);
}

TEST_F(MessageStoreTest, RetainedMessagesRoundTripAndClear) {
  store.save_retained(*make_message("r/1", "keep"));
  store.save_retained(*make_message("r/2", "drop"));
  store.erase_retained("r/2");
  auto loaded = store.load();
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->retained.size(), 1u);
  EXPECT_EQ(loaded->retained[0]->topic, "r/1");
  EXPECT_EQ(loaded->retained[0]->payload, "keep");
}

TEST_F(MessageStoreTest, SequenceContinuesAfterReload) {
  store.save_session({"c", 10, {}, {}});
  const auto before = store.save_message("c", {make_message("t", "x"), 1, false, {}});
  message_store reopened(kv);
  ASSERT_TRUE(reopened.load());
  EXPECT_GT(reopened.save_message("c", {make_message("t", "y"), 1, false, {}}), before);
}

TEST_F(MessageStoreTest, CorruptRecordsAreSkippedAndCounted) {
  store.save_session({"c", 10, {}, {}});
  store.save_message("c", {make_message("t", "ok"), 1, false, {}});
  ASSERT_TRUE(kv.put(queue_key("c", 999), "\x01garbage").ok());
  ASSERT_TRUE(kv.put(session_key("broken"), "\x07").ok());
  ASSERT_TRUE(kv.put(retained_key("bad"), "").ok());
  auto loaded = store.load();
  ASSERT_TRUE(loaded);
  EXPECT_EQ(store.counters().corrupt_records.load(), 3u);
  ASSERT_EQ(loaded->sessions.size(), 1u);
  EXPECT_EQ(loaded->sessions[0].messages.size(), 1u);
  EXPECT_TRUE(loaded->retained.empty());
}

TEST_F(MessageStoreTest, MessagesWithoutASessionAreRemovedAtLoad) {
  store.save_message("ghost", {make_message("t", "x"), 1, false, {}});
  auto loaded = store.load();
  ASSERT_TRUE(loaded);
  EXPECT_TRUE(loaded->sessions.empty());
  EXPECT_EQ(kv.size(), 0u);
}

TEST(QueueKeyTest, ParsesWhatItBuildsAndRejectsOtherKeys) {
  const auto k = queue_key("id/with/slashes", 0x0102030405060708ull);
  auto parsed = parse_queue_key(k);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->first, "id/with/slashes");
  EXPECT_EQ(parsed->second, 0x0102030405060708ull);
  EXPECT_FALSE(parse_queue_key("s/abc"));
  EXPECT_FALSE(parse_queue_key("q/short"));
  EXPECT_LT(queue_key("a", 1), queue_key("a", 256));  // big-endian sequence sorts numerically
}

// A persistent session writes through to the store; its acknowledgements erase what it wrote.
TEST(SessionPersistenceTest, PersistentSessionStoresQueuedMessagesUntilAcknowledged) {
  core::kv::memory_kv_store kv;
  message_store store(kv);
  session::session s(1, "p", {});
  s.set_persistence(&store);
  s.set_expiry_interval(60);
  struct sink : session::session_sink {
    void wake() override {}
    void taken_over() override {}
  };
  const auto gen = s.attach(std::make_shared<sink>());
  ASSERT_TRUE(s.enqueue({make_message("t", "a"), 1, false, {}}));
  ASSERT_TRUE(s.enqueue({make_message("t", "b", 0), 0, false, {}}));  // QoS 0: never stored
  EXPECT_EQ(kv.size(), 2u);  // session record + one message

  std::vector<session::outgoing> out;
  s.take_ready(gen, out, 10, 10, session::clock::now());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(s.on_puback(out[0].packet_id));
  EXPECT_EQ(kv.size(), 1u);  // only the session record is left

  s.set_expiry_interval(0);  // no longer outlives its connection: nothing kept
  EXPECT_EQ(kv.size(), 0u);
}

TEST(SessionPersistenceTest, CleanSessionsWriteNothing) {
  core::kv::memory_kv_store kv;
  message_store store(kv);
  session::session s(1, "c", {});
  s.set_persistence(&store);
  ASSERT_TRUE(s.enqueue({make_message("t", "a"), 1, false, {}}));  // queued offline, in memory only
  EXPECT_EQ(kv.size(), 0u);
}

}  // namespace
}  // namespace ternmq::store
