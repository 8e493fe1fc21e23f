// Tests for the persisted member list: a saved list loads back with its stamps, a save replaces
// what was stored, other keys are left alone, and a corrupt entry fails the load.
#include "broker/cluster_net/membership_store.hpp"

#include <gtest/gtest.h>

#include "core/kv/memory_kv_store.hpp"

namespace ternmq::cluster_net {
namespace {

cluster::member_entry entry(std::string name, cluster::member_state state, std::uint64_t ms) {
  return cluster::member_entry{std::move(name), "127.0.0.1:4000", state, cluster::hlc_timestamp{ms, 1, "n1@h"}};
}

TEST(MembershipStoreTest, SavedListLoadsBackWithStamps) {
  core::kv::memory_kv_store kv;
  membership_store store(kv);
  const std::vector<cluster::member_entry> list{entry("n1@h", cluster::member_state::joined, 5),
                                                entry("n2@h", cluster::member_state::left, 9)};
  ASSERT_TRUE(store.save(list).ok());
  auto loaded = store.load();
  ASSERT_TRUE(loaded.has_value()) << loaded.err().message;
  EXPECT_EQ(*loaded, list);
}

TEST(MembershipStoreTest, SaveReplacesTheStoredListAndKeepsOtherKeys) {
  core::kv::memory_kv_store kv;
  ASSERT_TRUE(kv.put("session/x", "kept").ok());
  membership_store store(kv);
  ASSERT_TRUE(store.save({entry("n1@h", cluster::member_state::joined, 5), entry("n2@h", cluster::member_state::joined, 6)}).ok());
  ASSERT_TRUE(store.save({entry("n1@h", cluster::member_state::joined, 7)}).ok());
  auto loaded = store.load();
  ASSERT_TRUE(loaded.has_value());
  ASSERT_EQ(loaded->size(), 1U);
  EXPECT_EQ(loaded->front().stamp.physical_ms, 7U);
  int others = 0;
  ASSERT_TRUE(kv.scan("session/", [&](std::string_view, std::string_view) { return ++others, true; }).ok());
  EXPECT_EQ(others, 1);
}

TEST(MembershipStoreTest, CorruptEntryFailsTheLoad) {
  core::kv::memory_kv_store kv;
  ASSERT_TRUE(kv.put(std::string(k_members_key_prefix) + "n1@h", "\x00\x00\x00\x05garbage").ok());
  membership_store store(kv);
  auto loaded = store.load();
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.err().message.find("corrupt member entry cluster/members/n1@h"), std::string::npos)
      << loaded.err().message;
}

}  // namespace
}  // namespace ternmq::cluster_net
