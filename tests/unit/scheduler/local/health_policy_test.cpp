// The health verdicts, pure: grace period, consecutive failures, healthy changes.
#include "scheduler/local/health_policy.hpp"

#include <gtest/gtest.h>

namespace ternmq::scheduler::local {
namespace {

using std::chrono::seconds;

const clock::time_point k_start{std::chrono::hours(1)};

check_result failed_at(seconds after_start, std::string reason = "exited with status 1") {
  return check_result{false, std::move(reason), k_start + after_start};
}
check_result passed_at(seconds after_start) { return check_result{true, "", k_start + after_start}; }

TEST(HealthPolicy, FailuresDuringTheGracePeriodDoNotCount) {
  health_policy policy(seconds(10), 2, k_start);
  for (int i = 0; i < 5; ++i) {
    auto verdict = policy.record(failed_at(seconds(i)));
    EXPECT_FALSE(verdict.kill);
    EXPECT_FALSE(verdict.healthy_changed);
  }
  EXPECT_FALSE(policy.healthy());
  EXPECT_EQ(policy.consecutive_failures(), 0u);

  auto first = policy.record(failed_at(seconds(10)));
  EXPECT_TRUE(first.healthy_changed);
  EXPECT_FALSE(first.kill);
  EXPECT_EQ(policy.healthy(), false);
  auto second = policy.record(failed_at(seconds(11), "timed out after 2s"));
  EXPECT_FALSE(second.healthy_changed);
  EXPECT_TRUE(second.kill);
  EXPECT_EQ(second.message, "health check failed 2 times: timed out after 2s");
}

TEST(HealthPolicy, ASuccessResetsTheCountAndEndsTheGracePeriod) {
  health_policy policy(seconds(60), 2, k_start);
  auto passed = policy.record(passed_at(seconds(1)));
  EXPECT_TRUE(passed.healthy_changed);
  EXPECT_EQ(policy.healthy(), true);
  EXPECT_FALSE(policy.record(passed_at(seconds(2))).healthy_changed);

  auto failed = policy.record(failed_at(seconds(3)));  // inside the grace period, but after a success
  EXPECT_TRUE(failed.healthy_changed);
  EXPECT_FALSE(failed.kill);
  EXPECT_TRUE(policy.record(passed_at(seconds(4))).healthy_changed);
  EXPECT_FALSE(policy.record(failed_at(seconds(5))).kill);
  EXPECT_TRUE(policy.record(failed_at(seconds(6))).kill);
}

TEST(HealthPolicy, ZeroMaxFailuresMeansTheFirstCountedFailureKills) {
  health_policy policy(seconds(0), 0, k_start);
  auto verdict = policy.record(failed_at(seconds(0)));
  EXPECT_TRUE(verdict.kill);
  EXPECT_EQ(verdict.message, "health check failed 1 times: exited with status 1");
}

}  // namespace
}  // namespace ternmq::scheduler::local
