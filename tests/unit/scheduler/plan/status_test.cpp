// Tests for the status names, strategies, element ids and the roll-up table (SDK
// `PlanUtils.getAggregateStatus`), one row per rule.
#include "scheduler/plan/status.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scheduler/plan/element_id.hpp"
#include "scheduler/plan/strategy.hpp"

namespace ternmq::scheduler::plans {
namespace {

TEST(StatusTest, NamesAreTheSdkSpellingsAndRoundTrip) {
  const std::vector<std::pair<status, std::string>> names = {
      {status::error, "ERROR"},       {status::waiting, "WAITING"},   {status::pending, "PENDING"},
      {status::prepared, "PREPARED"}, {status::starting, "STARTING"}, {status::started, "STARTED"},
      {status::complete, "COMPLETE"}, {status::delayed, "DELAYED"},   {status::in_progress, "IN_PROGRESS"},
  };
  for (const auto& [s, name] : names) {
    EXPECT_EQ(to_string(s), name);
    EXPECT_EQ(parse_status(name), s) << name;
  }
  EXPECT_EQ(parse_status("complete"), std::nullopt);
  EXPECT_EQ(parse_status(""), std::nullopt);
}

TEST(StatusTest, RunningStates) {
  for (status s : {status::pending, status::prepared, status::starting, status::started, status::in_progress}) {
    EXPECT_TRUE(is_running(s)) << to_string(s);
  }
  for (status s : {status::error, status::waiting, status::complete, status::delayed}) {
    EXPECT_FALSE(is_running(s)) << to_string(s);
  }
}

TEST(StrategyTest, NamesRoundTrip) {
  for (strategy s : {strategy::serial, strategy::parallel, strategy::serial_canary, strategy::parallel_canary}) {
    EXPECT_EQ(parse_strategy(to_string(s)), s);
  }
  EXPECT_EQ(to_string(strategy::serial_canary), "serial-canary");
  EXPECT_EQ(parse_strategy("canary"), strategy::serial_canary);
  EXPECT_EQ(parse_strategy("Serial"), std::nullopt);
  EXPECT_EQ(without_canary(strategy::parallel_canary), strategy::parallel);
  EXPECT_EQ(without_canary(strategy::serial_canary), strategy::serial);
  EXPECT_TRUE(is_canary(strategy::parallel_canary));
  EXPECT_FALSE(is_canary(strategy::parallel));
}

TEST(ElementIdTest, DeterministicUuidShape) {
  const std::string id = element_id("deploy/broker/broker-0:[node]");
  EXPECT_EQ(id, element_id("deploy/broker/broker-0:[node]"));
  EXPECT_NE(id, element_id("deploy/broker/broker-1:[node]"));
  EXPECT_NE(id, element_id("update/broker/broker-0:[node]"));
  ASSERT_EQ(id.size(), 36u);
  for (std::size_t i : {8u, 13u, 18u, 23u}) EXPECT_EQ(id[i], '-');
  EXPECT_EQ(id[14], '8');  // version 8
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);  // RFC 4122 variant
  for (char c : id) EXPECT_TRUE(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
}

struct rollup_case {
  const char* rule;
  std::vector<status> children;
  std::vector<status> candidates;
  bool has_errors;
  bool interrupted;
  status expected;
};

TEST(AggregateStatusTest, SdkRulesInOrder) {
  using enum status;
  const std::vector<rollup_case> cases = {
      {"errors", {complete}, {}, true, false, error},
      {"child error", {complete, error, pending}, {pending}, false, false, error},
      {"error beats interrupt", {error}, {}, false, true, error},
      {"all complete", {complete, complete}, {}, false, false, complete},
      {"no children", {}, {}, false, false, complete},
      {"complete beats interrupt", {complete}, {}, false, true, complete},
      {"all delayed", {delayed, delayed}, {delayed, delayed}, false, false, delayed},
      {"interrupted", {pending, pending}, {}, false, true, waiting},
      {"interrupted with work under way", {starting, pending}, {}, false, true, waiting},
      {"child prepared", {prepared, pending}, {prepared}, false, false, in_progress},
      {"candidate waiting", {complete, waiting}, {waiting}, false, false, waiting},
      {"candidate in progress", {in_progress, pending}, {in_progress}, false, false, in_progress},
      {"complete and candidate pending", {complete, pending}, {pending}, false, false, in_progress},
      {"complete and candidate starting", {complete, starting}, {starting}, false, false, in_progress},
      {"complete and candidate started", {complete, started}, {started}, false, false, in_progress},
      {"candidate pending", {pending, pending}, {pending}, false, false, pending},
      {"parallel: pending beats starting", {starting, pending}, {starting, pending}, false, false, pending},
      {"child waiting", {waiting, pending}, {}, false, false, waiting},
      {"candidate starting", {starting, pending}, {starting}, false, false, starting},
      {"candidate started", {started, pending}, {started}, false, false, started},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(aggregate_status(c.children, c.candidates, c.has_errors, c.interrupted), c.expected) << c.rule;
  }
}

TEST(AggregateStatusTest, WhereTheSdkSaysErrorWeDoNot) {
  using enum status;
  const std::vector<rollup_case> cases = {
      {"backoff after progress", {complete, delayed}, {delayed}, false, false, delayed},
      {"delayed child not offered", {delayed, pending}, {}, false, false, delayed},
      {"interrupted step under way", {starting, pending}, {}, false, false, in_progress},
      {"pending child not offered", {complete, pending}, {}, false, false, pending},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(aggregate_status(c.children, c.candidates, c.has_errors, c.interrupted), c.expected) << c.rule;
  }
}

}  // namespace
}  // namespace ternmq::scheduler::plans
