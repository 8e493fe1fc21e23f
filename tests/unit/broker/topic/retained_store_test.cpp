// Tests for `retained_store`: put, replace and clear by topic name, wildcard lookup with the
// `$` rule (checked against `topic::matches`), pruning, size and concurrent readers.
#include "broker/topic/retained_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "broker/topic/topic.hpp"

namespace ternmq::topic {
namespace {

retained_store::value_type value(const std::string& text) { return std::make_shared<const std::string>(text); }

std::string text_of(const retained_store::value_type& v) { return *std::static_pointer_cast<const std::string>(v); }

// Topic -> stored text for everything `filter` matches; fails the test on a topic reported twice.
std::map<std::string, std::string> match(const retained_store& s, const std::string& filter) {
  std::map<std::string, std::string> out;
  s.match(filter, [&](const std::string& name, const retained_store::value_type& v) {
    EXPECT_TRUE(out.emplace(name, text_of(v)).second) << "reported twice: " << name;
  });
  return out;
}

std::vector<std::string> topics(const std::map<std::string, std::string>& m) {
  std::vector<std::string> out;
  for (const auto& [k, _] : m) out.push_back(k);
  return out;
}

TEST(RetainedStoreTest, PutReplaceAndClear) {
  retained_store s;
  EXPECT_EQ(s.size(), 0u);
  s.put("a/b", value("1"));
  EXPECT_EQ(s.size(), 1u);
  s.put("a/b", value("2"));  // replaces, not adds
  EXPECT_EQ(s.size(), 1u);
  EXPECT_EQ(match(s, "a/b"), (std::map<std::string, std::string>{{"a/b", "2"}}));
  s.put("a/b", nullptr);
  EXPECT_EQ(s.size(), 0u);
  EXPECT_TRUE(match(s, "a/b").empty());
  EXPECT_TRUE(match(s, "#").empty());
}

TEST(RetainedStoreTest, ClearingAnAbsentTopicChangesNothing) {
  retained_store s;
  s.put("a/b", value("1"));
  s.put("x/y", nullptr);
  s.put("a", nullptr);      // an inner node without a value
  s.put("a/b/c", nullptr);  // below a stored topic
  EXPECT_EQ(s.size(), 1u);
  EXPECT_EQ(topics(match(s, "#")), (std::vector<std::string>{"a/b"}));
}

TEST(RetainedStoreTest, ClearKeepsParentsAndChildren) {
  retained_store s;
  s.put("a", value("p"));
  s.put("a/b", value("m"));
  s.put("a/b/c", value("c"));
  s.put("a/b", nullptr);
  EXPECT_EQ(s.size(), 2u);
  EXPECT_EQ(topics(match(s, "#")), (std::vector<std::string>{"a", "a/b/c"}));
  s.put("a/b/c", nullptr);
  s.put("a", nullptr);
  EXPECT_EQ(s.size(), 0u);
  // Putting again after everything was pruned.
  s.put("a/b/c", value("again"));
  EXPECT_EQ(match(s, "a/b/c"), (std::map<std::string, std::string>{{"a/b/c", "again"}}));
}

TEST(RetainedStoreTest, AgreesWithTopicMatches) {
  const std::vector<std::string> names = {
      "a", "a/b", "a/b/c", "a//c", "/", "/b", "b", "$SYS", "$SYS/x", "$SYS/x/y", "x/b", "a/", "$", "a/$b",
  };
  const std::vector<std::string> filters = {
      "#", "+", "a", "a/#", "a/+", "a/b", "a/+/c", "+/b/#", "+/+", "/+", "a//c", "$SYS/#", "$SYS/+", "+/#", "a/b/#",
      "+/+/+", "$SYS", "a/+/+",
  };
  retained_store s;
  for (const auto& n : names) s.put(n, value(n));
  EXPECT_EQ(s.size(), names.size());
  for (const auto& f : filters) {
    std::vector<std::string> expected;
    for (const auto& n : names)
      if (matches(f, n)) expected.push_back(n);
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(topics(match(s, f)), expected) << f;
  }
}

TEST(RetainedStoreTest, DollarTopicsOnlyForALiteralFirstLevel) {
  retained_store s;
  s.put("$SYS/uptime", value("u"));
  s.put("plain", value("p"));
  EXPECT_EQ(topics(match(s, "#")), (std::vector<std::string>{"plain"}));
  EXPECT_EQ(topics(match(s, "+/uptime")), (std::vector<std::string>{}));
  EXPECT_EQ(topics(match(s, "$SYS/#")), (std::vector<std::string>{"$SYS/uptime"}));
  EXPECT_EQ(topics(match(s, "$SYS/+")), (std::vector<std::string>{"$SYS/uptime"}));
}

TEST(RetainedStoreTest, ReportsTheFullTopicName) {
  retained_store s;
  s.put("a//b", value("x"));
  EXPECT_EQ(topics(match(s, "a/+/b")), (std::vector<std::string>{"a//b"}));
}

TEST(RetainedStoreTest, ForEachVisitsEveryTopic) {
  retained_store s;
  for (const char* n : {"a", "a/b", "$SYS/x", "/"}) s.put(n, value(n));
  std::vector<std::string> seen;
  s.for_each([&](const std::string& name, const retained_store::value_type& v) {
    EXPECT_EQ(text_of(v), name);
    seen.push_back(name);
  });
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"$SYS/x", "/", "a", "a/b"}));
}

TEST(RetainedStoreTest, ConcurrentReadersAndAWriter) {
  retained_store s;
  for (int i = 0; i < 100; ++i) s.put("t/" + std::to_string(i), value("v"));
  std::thread writer([&] {
    for (int round = 0; round < 200; ++round) {
      s.put("w/" + std::to_string(round % 10), round % 2 ? nullptr : value("w"));
    }
  });
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      for (int round = 0; round < 200; ++round) EXPECT_EQ(match(s, "t/+").size(), 100u);
    });
  }
  writer.join();
  for (auto& t : readers) t.join();
  EXPECT_EQ(s.size(), 100u + 5u);  // the last write to each slot decides: the even slots end set
}

}  // namespace
}  // namespace ternmq::topic
