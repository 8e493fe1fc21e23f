// Tests for topic names, topic filters and matching (MQTT 5.0 section 4.7) and the
// `$share/<group>/<filter>` form (section 4.8.2), as tables so each rule reads as one row.
#include "broker/topic/topic.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ternmq::topic {
namespace {

struct validity_case {
  std::string text;
  bool valid;
};

TEST(TopicNameTest, Validity) {
  // 3.1.1:MQTT-4.7.1-1 3.1.1:MQTT-4.7.3-1 5.0:MQTT-4.7.0-1 5.0:MQTT-4.7.3-1
  const std::vector<validity_case> cases = {
      {"a", true},
      {"a/b/c", true},
      {"/", true},          // two empty levels
      {"a//b", true},       // an empty level in the middle
      {"/leading", true},
      {"trailing/", true},
      {" ", true},          // spaces are ordinary characters
      {"$SYS/broker", true},
      {"caf\xC3\xA9", true},
      {"", false},          // MQTT-4.7.3-1
      {"+", false},
      {"#", false},
      {"a/+/b", false},
      {"a/#", false},
      {"a+b", false},       // wildcards are not allowed anywhere in a name
      {"a#", false},
  };
  for (const auto& c : cases) EXPECT_EQ(is_valid_name(c.text), c.valid) << '"' << c.text << '"';
}

TEST(TopicFilterTest, Validity) {
  // 3.1.1:MQTT-4.7.1-2 3.1.1:MQTT-4.7.1-3 5.0:MQTT-4.7.1-1 5.0:MQTT-4.7.1-2
  const std::vector<validity_case> cases = {
      {"a", true},
      {"#", true},
      {"+", true},
      {"a/#", true},
      {"a/+/b", true},
      {"+/+", true},
      {"/+", true},
      {"+/", true},
      {"/#", true},
      {"a//b", true},
      {"$SYS/#", true},
      {"$share/g/a", true},  // a valid plain filter too: shared parsing is separate
      {"", false},
      {"a#", false},         // MQTT-4.7.1-1: '#' is a whole level ...
      {"#/a", false},        // ... and the last one
      {"a/#/b", false},
      {"a/#/", false},
      {"##", false},
      {"a+", false},         // MQTT-4.7.1-2: '+' is a whole level
      {"+a", false},
      {"a/b+/c", false},
      {"++", false},
      {"+#", false},
  };
  for (const auto& c : cases) EXPECT_EQ(is_valid_filter(c.text), c.valid) << '"' << c.text << '"';
}

struct match_case {
  std::string filter;
  std::string name;
  bool matches;
};

TEST(TopicMatchTest, Table) {
  // 3.1.1:MQTT-4.7.2-1 3.1.1:MQTT-4.7.3-4 5.0:MQTT-4.7.2-1 5.0:MQTT-4.7.3-4
  const std::vector<match_case> cases = {
      // Exact levels.
      {"a/b", "a/b", true},
      {"a/b", "a/c", false},
      {"a/b", "a", false},
      {"a", "a/b", false},
      {"a/b", "a/b/", false},
      {"a/b", "A/b", false},  // case sensitive
      // '#' matches the level it stands for and everything below, also the parent (4.7.1.2).
      {"#", "a", true},
      {"#", "a/b/c", true},
      {"#", "/", true},
      {"a/#", "a", true},
      {"a/#", "a/", true},
      {"a/#", "a/b", true},
      {"a/#", "a/b/c", true},
      {"a/#", "ab", false},
      {"a/#", "b/a", false},
      {"a/b/#", "a", false},
      {"sport/tennis/player1/#", "sport/tennis/player1", true},
      {"sport/tennis/player1/#", "sport/tennis/player1/ranking", true},
      {"sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true},
      // '+' matches exactly one level, an empty one included.
      {"+", "a", true},
      {"+", "a/b", false},
      {"+", "/", false},
      {"+/+", "/", true},
      {"+/+", "/finance", true},
      {"/+", "/finance", true},
      {"+", "/finance", false},
      {"a/+/b", "a//b", true},
      {"a/+/b", "a/x/b", true},
      {"a/+/b", "a/x/y/b", false},
      {"a/+", "a", false},
      {"a/+", "a/", true},
      {"a//b", "a//b", true},
      {"a//b", "a/b", false},
      {"+/b/#", "x/b", true},
      {"+/b/#", "x/b/c/d", true},
      {"+/+/+", "a/b", false},
      // '$' topics are not matched by a leading wildcard (MQTT-4.7.2-1) ...
      {"#", "$SYS", false},
      {"#", "$SYS/broker/uptime", false},
      {"+/broker/uptime", "$SYS/broker/uptime", false},
      {"+", "$", false},
      {"+/#", "$SYS/x", false},
      // ... but are by a filter naming the first level.
      {"$SYS/#", "$SYS", true},
      {"$SYS/#", "$SYS/broker/uptime", true},
      {"$SYS/+/uptime", "$SYS/broker/uptime", true},
      {"$SYS/broker/uptime", "$SYS/broker/uptime", true},
      // '$' later in the name is an ordinary character.
      {"#", "a/$b", true},
      {"a/+", "a/$b", true},
  };
  for (const auto& c : cases) EXPECT_EQ(matches(c.filter, c.name), c.matches) << c.filter << " vs " << c.name;
}

TEST(SharedFilterTest, IsShared) {
  EXPECT_TRUE(is_shared("$share/g/a"));
  EXPECT_TRUE(is_shared("$share/"));
  EXPECT_FALSE(is_shared("$share"));
  EXPECT_FALSE(is_shared("$SHARE/g/a"));
  EXPECT_FALSE(is_shared("a/$share/g/a"));
}

TEST(SharedFilterTest, ParsesGroupAndFilter) {
  struct {
    std::string text;
    std::string group;
    std::string filter;
  } cases[] = {
      {"$share/g/a", "g", "a"},
      {"$share/group-1/a/b/#", "group-1", "a/b/#"},
      {"$share/g/+/x", "g", "+/x"},
      {"$share/g/#", "g", "#"},
      {"$share/g//", "g", "/"},
      {"$share/g/$SYS/#", "g", "$SYS/#"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto parsed = parse_shared(c.text);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->group, c.group);
    EXPECT_EQ(parsed->filter, c.filter);
  }
}

TEST(SharedFilterTest, RejectsMalformedShares) {
  // 5.0:MQTT-4.8.2-1 5.0:MQTT-4.8.2-2
  for (const std::string text : {
           "a/b",            // not shared at all
           "$share/",        // no group
           "$share/g",       // no filter (MQTT-4.8.2-1)
           "$share//a",      // empty group
           "$share/g/",      // empty filter
           "$share/g+/a",    // wildcard in the group (MQTT-4.8.2-2)
           "$share/g#/a",
           "$share/+/a",
           "$share/#/a",
           "$share/g/a#",    // invalid filter part
           "$share/g/#/a",
       }) {
    EXPECT_FALSE(parse_shared(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace ternmq::topic
