// Tests for the scheduler model: derived names, enum spellings, lookups and value semantics.
#include <gtest/gtest.h>

#include "scheduler/model/names.hpp"
#include "scheduler/model/resources.hpp"
#include "scheduler/model/service_spec.hpp"

namespace ternmq::scheduler::model {
namespace {

TEST(Names, PodInstanceAndTaskNamesFollowDcosCommons) {
  EXPECT_EQ(pod_instance_name("node", 0), "node-0");
  EXPECT_EQ(task_name("node", 2, "broker"), "node-2-broker");
  const pod_instance p{"node", 11};
  EXPECT_EQ(p.name(), "node-11");
  EXPECT_EQ(task_name(p, "broker"), "node-11-broker");
}

TEST(Names, PodInstancesOrderByTypeThenIndex) {
  EXPECT_LT((pod_instance{"a", 5}), (pod_instance{"b", 0}));
  EXPECT_LT((pod_instance{"node", 2}), (pod_instance{"node", 10}));
  EXPECT_EQ((pod_instance{"node", 1}), (pod_instance{"node", 1}));
}

TEST(Names, EscapedServiceName) {
  EXPECT_EQ(escaped_service_name("ternmq"), "ternmq");
  EXPECT_EQ(escaped_service_name("/prod/mqtt"), "prod__mqtt");
  EXPECT_EQ(escaped_service_name("a/b/c"), "a__b__c");
}

TEST(Enums, RoundTripTheirSvcYmlSpellings) {
  for (const auto g : {task_goal::running, task_goal::finish, task_goal::once}) {
    EXPECT_EQ(parse_task_goal(to_string(g)), g);
  }
  for (const auto t : {volume_type::root, volume_type::mount}) EXPECT_EQ(parse_volume_type(to_string(t)), t);
  for (const auto s : {strategy_type::serial, strategy_type::parallel, strategy_type::serial_canary,
                       strategy_type::parallel_canary}) {
    EXPECT_EQ(parse_strategy_type(to_string(s)), s);
  }
  EXPECT_EQ(parse_strategy_type("canary"), strategy_type::serial_canary);
  EXPECT_EQ(parse_task_goal("running"), std::nullopt);
  EXPECT_EQ(parse_volume_type("Root"), std::nullopt);
  EXPECT_EQ(parse_strategy_type("dependency"), std::nullopt);
  EXPECT_EQ(to_string(encryption_type::keystore), "KEYSTORE");
}

TEST(Resources, AddAndCover) {
  const resources a{1.5, 1024, 100};
  const resources b{0.5, 512, 0};
  EXPECT_EQ(a + b, (resources{2.0, 1536, 100}));
  EXPECT_TRUE(covers(a, b));
  EXPECT_FALSE(covers(b, a));
  EXPECT_TRUE(covers(a, a));
}

service_spec sample() {
  task_spec broker;
  broker.name = "broker";
  broker.cmd = "./ternmq";
  broker.cpus = 1;
  broker.memory_mb = 1024;
  broker.ports.push_back(port_spec{"mqtt", 1883, "PORT_MQTT", true, vip_spec{"mqtt", 1883, "tcp"}, {}});
  pod_spec node;
  node.type = "node";
  node.count = 3;
  node.volumes.push_back(volume_spec{"", "data", volume_type::root, 1000});
  node.tasks.push_back(broker);
  service_spec s;
  s.name = "ternmq";
  s.pods.push_back(node);
  s.plans.push_back(plan_spec{"deploy", strategy_type::serial,
                              {phase_spec{"node", strategy_type::serial, "node", {step_spec{std::nullopt, {{"broker"}}}}}}});
  return s;
}

TEST(ServiceSpec, EqualityComparesEveryLevel) {
  const service_spec a = sample();
  EXPECT_EQ(a, sample());
  service_spec b = sample();
  b.pods[0].tasks[0].ports[0].vip->port = 1884;
  EXPECT_NE(a, b);
  b = sample();
  b.pods[0].volumes[0].size_mb = 2000;
  EXPECT_NE(a, b);
  b = sample();
  b.pods[0].tasks[0].health_check = health_check_spec{"true", std::chrono::seconds(30), {}, {}, {}, 3};
  EXPECT_NE(a, b);
  b = sample();
  b.plans[0].phases[0].strategy = strategy_type::parallel;
  EXPECT_NE(a, b);
}

TEST(ServiceSpec, Lookups) {
  const service_spec s = sample();
  ASSERT_NE(s.find_pod("node"), nullptr);
  EXPECT_EQ(s.find_pod("nope"), nullptr);
  EXPECT_EQ(s.find_plan("deploy"), &s.plans[0]);
  EXPECT_EQ(s.pods[0].find_task("broker"), &s.pods[0].tasks[0]);
  EXPECT_EQ(s.pods[0].tasks[0].find_port("mqtt")->env_key, "PORT_MQTT");
  EXPECT_EQ(s.pods[0].tasks[0].find_port("http"), nullptr);
  EXPECT_EQ(s.user_of(s.pods[0]), "root");
}

TEST(PhaseSpec, TaskGroupsForAnIndex) {
  phase_spec phase{"p", strategy_type::serial, "node",
                   {step_spec{1, {{"init"}, {"broker"}}}, step_spec{std::nullopt, {{"broker"}}}}};
  using groups = std::vector<std::vector<std::string>>;
  EXPECT_EQ(phase.task_groups_for(1), (groups{{"init"}, {"broker"}}));
  EXPECT_EQ(phase.task_groups_for(0), (groups{{"broker"}}));
  phase.steps.pop_back();
  EXPECT_TRUE(phase.task_groups_for(0).empty());
}

}  // namespace
}  // namespace ternmq::scheduler::model
