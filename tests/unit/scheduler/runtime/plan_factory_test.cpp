#include "scheduler/runtime/plan_factory.hpp"

#include <gtest/gtest.h>

#include "scheduler/spec/service_spec_parser.hpp"

namespace ternmq::scheduler::runtime {
namespace {

model::service_spec spec_with_plans(bool with_update) {
  std::string yml =
      "name: svc\npods:\n  node:\n    count: 2\n    tasks:\n      broker: {goal: RUNNING, cmd: run, cpus: 1, memory: 64}\n"
      "plans:\n  deploy:\n    strategy: serial\n    phases:\n      node: {strategy: parallel, pod: node}\n";
  if (with_update) yml += "  update:\n    strategy: serial\n    phases:\n      rolling: {strategy: serial, pod: node}\n";
  auto spec = spec::parse_service_spec(yml);
  EXPECT_TRUE(spec) << spec.err().message;
  return std::move(spec).value();
}

TEST(PlanFactory, StepsAreNamedAsTheSdkNamesThemAndStartCompleteWhenCurrent) {
  auto plan = build_deploy_plan(spec_with_plans(false), [](const std::string& pod) { return pod == "node-1"; }, false);
  EXPECT_EQ(plan.name(), "deploy");
  ASSERT_EQ(plan.phases().size(), 1u);
  const auto& phase = plan.phases()[0];
  EXPECT_EQ(phase.strategy(), plans::strategy::parallel);
  ASSERT_EQ(phase.steps().size(), 2u);
  EXPECT_EQ(phase.steps()[0].name(), "node-0:[broker]");
  EXPECT_EQ(phase.steps()[0].status(), plans::status::pending);
  EXPECT_EQ(phase.steps()[1].status(), plans::status::complete);
}

TEST(PlanFactory, UpdateIsServedAsDeployOnceADeploymentCompleted) {
  auto none = [](const std::string&) { return false; };
  EXPECT_EQ(build_deploy_plan(spec_with_plans(true), none, false).phases()[0].name(), "node");
  auto update = build_deploy_plan(spec_with_plans(true), none, true);
  EXPECT_EQ(update.name(), "deploy");
  EXPECT_EQ(update.phases()[0].name(), "rolling");
  EXPECT_EQ(build_deploy_plan(spec_with_plans(false), none, true).phases()[0].name(), "node");
}

TEST(PlanFactory, RecoveryHasAPhasePerPod) {
  auto plan = build_recovery_plan({{"node-1", {"broker"}, false}, {"node-data-3", {"broker"}, true}});
  EXPECT_EQ(plan.name(), "recovery");
  ASSERT_EQ(plan.phases().size(), 2u);
  EXPECT_EQ(plan.phases()[1].name(), "node-data-3");
  EXPECT_EQ(plan.phases()[1].steps()[0].pod_instance(), "node-data-3");
  EXPECT_TRUE(build_recovery_plan({}).is_complete());
}

TEST(PlanFactory, TasksOfStepInvertsTheStepName) {
  EXPECT_EQ(tasks_of_step("node-0:[broker]"), std::vector<std::string>{"broker"});
  EXPECT_EQ(tasks_of_step("node-0:[init, broker]"), (std::vector<std::string>{"init", "broker"}));
  EXPECT_TRUE(tasks_of_step("plain").empty());
}

}  // namespace
}  // namespace ternmq::scheduler::runtime
