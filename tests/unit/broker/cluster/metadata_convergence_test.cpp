// Property tests of the replicated map's convergence (fixed seeds, so a failure reproduces):
// three replicas make random puts and erases on overlapping keys under jittery clocks; every
// entry is then delivered to every other replica shuffled, with duplicates and interleaved with
// more local writes; at the end all replicas hold the same state. A second property checks the
// merge laws directly on random entries, and a third that the reported changes, replayed, give
// the replica's visible contents (what the broker's trie relies on).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "broker/cluster/metadata_map.hpp"

namespace ternmq::cluster {
namespace {

constexpr std::uint64_t k_no_drift_limit = 1'000'000'000;

metadata_key random_key(std::mt19937& rng) {
  // Few keys, so that writes collide often.
  return metadata_key{std::string(1, static_cast<char>('a' + rng() % 3)), std::to_string(rng() % 5)};
}

// Visible contents built from the changes a replica reported.
using view = std::map<metadata_key, std::string>;

void replay(view& v, const metadata_change& c) {
  ASSERT_EQ(v.count(c.key) ? std::optional<std::string>(v[c.key]) : std::nullopt, c.before);
  if (c.after) v[c.key] = *c.after;
  else v.erase(c.key);
}

view visible(const metadata_map& m) {
  view v;
  for (const auto& e : m.snapshot()) {
    if (e.value) v[e.key] = *e.value;
  }
  return v;
}

class ConvergenceTest : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(ConvergenceTest, ReplicasReceivingTheSameEntriesInAnyOrderConverge) {
  std::mt19937 rng(GetParam());
  std::vector<metadata_map> replicas;
  for (const char* name : {"node-a", "node-b", "node-c"}) replicas.emplace_back(name, k_no_drift_limit);
  // Entries in flight to each replica, and each replica's view built from reported changes.
  std::vector<std::vector<metadata_entry>> inbox(3);
  std::vector<view> views(3);
  std::uint64_t wall = 1'000'000;

  const auto local_write = [&](std::size_t r) {
    // Each node's wall clock is skewed by up to ±200 ms.
    const std::uint64_t now = wall + (rng() % 400) - 200;
    const metadata_key k = random_key(rng);
    metadata_entry e = rng() % 3 == 0 ? replicas[r].erase(k, now)
                                      : replicas[r].put(k, "v" + std::to_string(rng() % 1000), now);
    views[r] = visible(replicas[r]);  // local writes are known to the writer
    for (std::size_t other = 0; other < 3; ++other) {
      if (other == r) continue;
      inbox[other].push_back(e);
      if (rng() % 4 == 0) inbox[other].push_back(e);  // duplicate delivery
    }
  };
  const auto deliver_some = [&](std::size_t r) {
    std::shuffle(inbox[r].begin(), inbox[r].end(), rng);
    const std::size_t n = rng() % (inbox[r].size() + 1);
    for (std::size_t i = 0; i < n; ++i) {
      auto changed = replicas[r].apply(inbox[r].back(), wall);
      ASSERT_TRUE(changed.has_value());
      if (*changed) replay(views[r], **changed);
      inbox[r].pop_back();
    }
  };

  for (int step = 0; step < 600; ++step) {
    wall += rng() % 5;
    const std::size_t r = rng() % 3;
    if (rng() % 2) local_write(r);
    else deliver_some(r);
    if (step % 97 == 0) {
      // Occasionally a full sync from one replica to another, as on a link coming back up.
      for (const auto& e : replicas[r].snapshot()) inbox[(r + 1) % 3].push_back(e);
    }
  }
  for (std::size_t r = 0; r < 3; ++r) {
    std::shuffle(inbox[r].begin(), inbox[r].end(), rng);
    while (!inbox[r].empty()) {
      auto changed = replicas[r].apply(inbox[r].back(), wall);
      ASSERT_TRUE(changed.has_value());
      if (*changed) replay(views[r], **changed);
      inbox[r].pop_back();
    }
  }

  EXPECT_EQ(replicas[0].snapshot(), replicas[1].snapshot());
  EXPECT_EQ(replicas[1].snapshot(), replicas[2].snapshot());
  EXPECT_GT(replicas[0].size() + replicas[0].tombstones(), 0u);
  for (std::size_t r = 0; r < 3; ++r) EXPECT_EQ(views[r], visible(replicas[r])) << "replica " << r;
}

INSTANTIATE_TEST_SUITE_P(Seeds, ConvergenceTest, ::testing::Values(1u, 2u, 3u, 42u, 2024u, 65537u, 987654321u));

TEST(ConvergenceLawsTest, MergeIsIdempotentCommutativeAndAssociative) {
  std::mt19937 rng(8675309);
  const auto random_entry = [&] {
    // Small timestamp and value ranges so that ties (equal stamps) occur too.
    std::optional<std::string> value;
    if (rng() % 3) value = std::to_string(rng() % 3);
    return metadata_entry{metadata_key{"", std::to_string(rng() % 2)},
                          hlc_timestamp{rng() % 3, static_cast<std::uint32_t>(rng() % 2), rng() % 2 ? "a" : "b"},
                          value};
  };
  const auto state_after = [](const std::vector<metadata_entry>& order) {
    metadata_map m("x", k_no_drift_limit);
    for (const auto& e : order) EXPECT_TRUE(m.apply(e, 10).has_value());
    return m.snapshot();
  };
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<metadata_entry> entries;
    for (int i = 0; i < 6; ++i) entries.push_back(random_entry());
    const auto expected = state_after(entries);
    std::vector<metadata_entry> shuffled = entries;
    shuffled.insert(shuffled.end(), entries.begin(), entries.begin() + 3);  // duplicates
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    ASSERT_EQ(state_after(shuffled), expected) << "trial " << trial;

    // Grouping: merging replica states pairwise in either grouping gives the same state.
    const auto a = state_after({entries[0], entries[1]});
    const auto b = state_after({entries[2], entries[3]});
    const auto c = state_after({entries[4], entries[5]});
    const auto join = [&](const std::vector<metadata_entry>& x, const std::vector<metadata_entry>& y) {
      std::vector<metadata_entry> both = x;
      both.insert(both.end(), y.begin(), y.end());
      return state_after(both);
    };
    ASSERT_EQ(join(join(a, b), c), join(a, join(b, c))) << "trial " << trial;
    ASSERT_EQ(join(join(a, b), c), expected) << "trial " << trial;
  }
}

}  // namespace
}  // namespace ternmq::cluster
