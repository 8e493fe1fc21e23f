// The scheduler URL: http only, host, port, base path, IPv6 literals, and which source wins.
#include "scheduler/cli/scheduler_url.hpp"

#include <gtest/gtest.h>

namespace ternmq::scheduler::cli {
namespace {

TEST(SchedulerUrl, HostPortAndBasePath) {
  auto u = parse_scheduler_url("http://127.0.0.1:8080");
  ASSERT_TRUE(u) << u.err().message;
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->base_path, "");
  u = parse_scheduler_url("http://leader.mesos/service/ternmq/");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "leader.mesos");
  EXPECT_EQ(u->port, 80);
  EXPECT_EQ(u->base_path, "/service/ternmq");
  u = parse_scheduler_url("http://[::1]:9000");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 9000);
}

TEST(SchedulerUrl, RefusesWhatItCannotUse) {
  EXPECT_EQ(parse_scheduler_url("https://x").err().message,
            "invalid scheduler URL \"https://x\": https is not supported, use http://");
  EXPECT_FALSE(parse_scheduler_url("127.0.0.1:8080"));
  EXPECT_FALSE(parse_scheduler_url("http://:8080"));
  EXPECT_FALSE(parse_scheduler_url("http://h:0"));
  EXPECT_FALSE(parse_scheduler_url("http://h:65536"));
  EXPECT_FALSE(parse_scheduler_url("http://h:80x"));
  EXPECT_FALSE(parse_scheduler_url("http://[::1"));
}

TEST(SchedulerUrl, FlagThenEnvironmentThenDefault) {
  EXPECT_EQ(choose_scheduler_url("http://a:1", "http://b:2"), "http://a:1");
  EXPECT_EQ(choose_scheduler_url(std::nullopt, "http://b:2"), "http://b:2");
  EXPECT_EQ(choose_scheduler_url(std::nullopt, ""), "http://127.0.0.1:8080");
  EXPECT_EQ(choose_scheduler_url(std::nullopt, std::nullopt), "http://127.0.0.1:8080");
}

}  // namespace
}  // namespace ternmq::scheduler::cli
