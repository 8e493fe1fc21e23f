// Tests for select_servers: framework and task-name conditions (exact and full-match patterns),
// missing port names, stable naming and order, and HAProxy-safe names.
#include <gtest/gtest.h>

#include "scheduler/edgelb/server_selection.hpp"

namespace ternmq::scheduler::edgelb {
namespace {

task_endpoint task(const std::string& framework, const std::string& name, std::map<std::string, socket_address> ports) {
  return task_endpoint{framework, name, std::move(ports)};
}

pool_backend backend_for(mesos_selector selector, const std::string& port_name = "mqtt") {
  pool_backend b;
  b.name = "mqtt";
  b.services = {pool_service{std::move(selector), port_name}};
  return b;
}

const mesos_selector k_brokers{"ternmq", "", "", "^node-[0-9]+-broker$"};

std::vector<std::string> names(const std::vector<backend_server>& servers) {
  std::vector<std::string> out;
  for (const auto& s : servers) out.push_back(s.name);
  return out;
}

TEST(SelectServers, TakesTheNamedPortOfTheMatchingTasks) {
  const std::vector<task_endpoint> tasks{
      task("ternmq", "node-0-broker", {{"mqtt", {"10.0.0.1", 1025}}, {"websocket", {"10.0.0.1", 1026}}}),
      task("ternmq", "node-1-broker", {{"mqtt", {"10.0.0.2", 1883}}}),
  };
  auto servers = select_servers(backend_for(k_brokers), tasks);
  ASSERT_TRUE(servers) << servers.err().message;
  EXPECT_EQ(*servers, (std::vector<backend_server>{{"node-0-broker", {"10.0.0.1", 1025}},
                                                   {"node-1-broker", {"10.0.0.2", 1883}}}));
  auto ws = select_servers(backend_for(k_brokers, "websocket"), tasks);
  ASSERT_TRUE(ws);
  EXPECT_EQ(*ws, (std::vector<backend_server>{{"node-0-broker", {"10.0.0.1", 1026}}}));
}

TEST(SelectServers, FrameworkNameMustBeEqual) {
  const std::vector<task_endpoint> tasks{
      task("ternmq", "node-0-broker", {{"mqtt", {"127.0.0.1", 1}}}),
      task("other", "node-1-broker", {{"mqtt", {"127.0.0.1", 2}}}),
      task("ternmq-2", "node-2-broker", {{"mqtt", {"127.0.0.1", 3}}}),
  };
  EXPECT_EQ(names(*select_servers(backend_for(k_brokers), tasks)), std::vector<std::string>{"node-0-broker"});
  EXPECT_EQ(names(*select_servers(backend_for({"", "ternmq.*", "", ""}), tasks)),
            (std::vector<std::string>{"node-0-broker", "node-2-broker"}));
}

TEST(SelectServers, TaskNamePatternsMatchTheWholeName) {
  const std::vector<task_endpoint> tasks{
      task("ternmq", "node-12-broker", {{"mqtt", {"127.0.0.1", 1}}}),
      task("ternmq", "node-0-broker-sidecar", {{"mqtt", {"127.0.0.1", 2}}}),
      task("ternmq", "other-0-broker", {{"mqtt", {"127.0.0.1", 3}}}),
      task("ternmq", "node-x-broker", {{"mqtt", {"127.0.0.1", 4}}}),
  };
  EXPECT_EQ(names(*select_servers(backend_for(k_brokers), tasks)), std::vector<std::string>{"node-12-broker"});
  // Unanchored, a substring pattern would select all four; here it must match the whole name.
  EXPECT_TRUE(select_servers(backend_for({"ternmq", "", "", "broker"}), tasks)->empty());
  EXPECT_EQ(names(*select_servers(backend_for({"ternmq", "", "", ".*-broker"}), tasks)),
            (std::vector<std::string>{"node-12-broker", "node-x-broker", "other-0-broker"}));
}

TEST(SelectServers, ExactTaskNameAndNoTaskConditionAtAll) {
  const std::vector<task_endpoint> tasks{
      task("ternmq", "node-0-broker", {{"mqtt", {"127.0.0.1", 1}}}),
      task("ternmq", "node-1-broker", {{"mqtt", {"127.0.0.1", 2}}}),
  };
  EXPECT_EQ(names(*select_servers(backend_for({"ternmq", "", "node-1-broker", ""}), tasks)),
            std::vector<std::string>{"node-1-broker"});
  EXPECT_EQ(select_servers(backend_for({"ternmq", "", "", ""}), tasks)->size(), 2u);
}

TEST(SelectServers, TasksWithoutThePortAreSkipped) {
  const std::vector<task_endpoint> tasks{
      task("ternmq", "node-0-broker", {{"mqtt", {"127.0.0.1", 1}}}),
      task("ternmq", "node-1-broker", {}),
      task("ternmq", "node-2-broker", {{"mqtt-tls", {"127.0.0.1", 3}}}),
  };
  EXPECT_EQ(names(*select_servers(backend_for(k_brokers), tasks)), std::vector<std::string>{"node-0-broker"});
  EXPECT_TRUE(select_servers(backend_for(k_brokers, "websocket"), tasks)->empty());
  EXPECT_TRUE(select_servers(backend_for(k_brokers), {})->empty());
}

TEST(SelectServers, OrderAndNamesDoNotDependOnTheInputOrder) {
  std::vector<task_endpoint> tasks{
      task("ternmq", "node-2-broker", {{"mqtt", {"127.0.0.1", 3}}}),
      task("ternmq", "node-0-broker", {{"mqtt", {"127.0.0.1", 1}}}),
      task("ternmq", "node-1-broker", {{"mqtt", {"127.0.0.1", 2}}}),
  };
  const auto first = *select_servers(backend_for(k_brokers), tasks);
  std::reverse(tasks.begin(), tasks.end());
  EXPECT_EQ(*select_servers(backend_for(k_brokers), tasks), first);
  EXPECT_EQ(names(first), (std::vector<std::string>{"node-0-broker", "node-1-broker", "node-2-broker"}));
}

TEST(SelectServers, TheSameTaskNameTwiceGetsNumberedNames) {
  const std::vector<task_endpoint> tasks{
      task("b-framework", "node-0-broker", {{"mqtt", {"127.0.0.1", 2}}}),
      task("a-framework", "node-0-broker", {{"mqtt", {"127.0.0.1", 1}}}),
  };
  auto servers = select_servers(backend_for({"", ".*-framework", "", ""}), tasks);
  ASSERT_TRUE(servers);
  EXPECT_EQ(*servers, (std::vector<backend_server>{{"node-0-broker", {"127.0.0.1", 1}},
                                                   {"node-0-broker-2", {"127.0.0.1", 2}}}));
}

TEST(SelectServers, ATaskSelectedByTwoServicesIsOneServer) {
  pool_backend b = backend_for(k_brokers);
  b.services.push_back(pool_service{{"ternmq", "", "node-0-broker", ""}, "mqtt"});
  const std::vector<task_endpoint> tasks{task("ternmq", "node-0-broker", {{"mqtt", {"127.0.0.1", 1}}})};
  EXPECT_EQ(select_servers(b, tasks)->size(), 1u);
}

TEST(SelectServers, AnInvalidPatternIsAnError) {
  auto r = select_servers(backend_for({"ternmq", "", "", "node-(["}), {});
  ASSERT_FALSE(r);
  EXPECT_NE(r.err().message.find("node-(["), std::string::npos);
}

TEST(HaproxyName, ReplacesWhatHaproxyDoesNotAllow) {
  EXPECT_EQ(haproxy_name("node-0-broker"), "node-0-broker");
  EXPECT_EQ(haproxy_name("a b/c:d.e_f"), "a_b_c:d.e_f");
  EXPECT_EQ(haproxy_name(""), "_");
}

}  // namespace
}  // namespace ternmq::scheduler::edgelb
