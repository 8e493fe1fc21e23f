#include "scheduler/runtime/command_line.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace ternmq::scheduler::runtime {
namespace {

core::result<command_line> parse(std::vector<const char*> args) {
  args.insert(args.begin(), "ternmq-scheduler");
  return parse_command_line(static_cast<int>(args.size()), args.data());
}

TEST(CommandLine, LocalModeFlags) {
  auto cl = parse({"--spec", "/pkg/svc.yml", "--local", "--options", "o.json", "--state-dir", "/tmp/s", "--api-port", "0",
                   "--agents", "5", "--port-range", "20000-20099", "--entry-port", "mqtt=41883", "--entry-port",
                   "stats=49090", "--no-entry-point", "--stop-on-exit", "--log-level", "debug"});
  ASSERT_TRUE(cl) << cl.err().message;
  EXPECT_TRUE(cl->local);
  EXPECT_EQ(cl->spec, "/pkg/svc.yml");
  EXPECT_EQ(cl->package_dir, "/pkg") << "defaults to svc.yml's directory";
  EXPECT_EQ(cl->options, std::filesystem::path("o.json"));
  EXPECT_EQ(cl->api_port, 0);
  EXPECT_EQ(cl->agents, 5u);
  EXPECT_EQ(cl->port_range, (model::port_range{20000, 20099}));
  EXPECT_EQ(cl->entry_ports.at("mqtt"), 41883);
  EXPECT_EQ(cl->entry_ports.at("stats"), 49090);
  EXPECT_FALSE(cl->entry_point);
  EXPECT_TRUE(cl->stop_on_exit);
  EXPECT_EQ(cl->log_level, "debug");
}

TEST(CommandLine, DefaultsAreTheMesosAgentOnes) {
  auto cl = parse({"--spec", "svc.yml"});
  ASSERT_TRUE(cl);
  EXPECT_FALSE(cl->local);
  EXPECT_EQ(cl->port_range, (model::port_range{31000, 32000}));
  EXPECT_EQ(cl->package_dir, ".");
  EXPECT_FALSE(cl->api_port.has_value());
}

TEST(CommandLine, ErrorsNameTheFlag) {
  auto missing = parse({"--local"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.err().message.find("--spec"), std::string::npos);
  auto range = parse({"--spec", "s", "--port-range", "9-3"});
  ASSERT_FALSE(range);
  EXPECT_NE(range.err().message.find("--port-range"), std::string::npos);
  EXPECT_NE(range.err().message.find("\"9-3\""), std::string::npos);
  EXPECT_FALSE(parse({"--spec", "s", "--api-port", "70000"}));
  EXPECT_FALSE(parse({"--spec", "s", "--entry-port", "mqtt"}));
  EXPECT_FALSE(parse({"--spec", "s", "--agents", "0"}));
  auto unknown = parse({"--spec", "s", "--bogus"});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.err().message.find("--bogus"), std::string::npos);
  EXPECT_FALSE(parse({"--spec"}));
}

}  // namespace
}  // namespace ternmq::scheduler::runtime
