// Tests for the plan manager: priority order, one step per pod across plans (dirty assets), task
// event routing, custom plans waiting for start, and the choice of the plan served as `deploy`.
#include "scheduler/plan/plan_manager.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "scheduler/plan/element_id.hpp"
#include "tests/unit/scheduler/plan/plan_test_support.hpp"

namespace ternmq::scheduler::plans {
namespace {

using test_support::complete;
using test_support::pod_phase;
using strings = std::vector<std::string>;

plan broker_plan(const std::string& name, int count, strategy s = strategy::parallel) {
  std::vector<phase> phases;
  phases.push_back(pod_phase("broker", count, s));
  return plan(name, strategy::serial, std::move(phases));
}

strings described(const std::vector<candidate>& candidates) {
  strings out;
  for (const candidate& c : candidates) out.push_back(c.owner->name() + " " + c.work->name());
  return out;
}

TEST(PlanManagerTest, PlansAreKeptInPriorityOrder) {
  plan_manager m;
  m.add(broker_plan("rolling-restart", 1), true);
  m.add(broker_plan("recovery", 1));
  m.add(broker_plan("decommission", 1));
  m.add(broker_plan("deploy", 1));
  m.add(broker_plan("backup", 1), true);
  EXPECT_EQ(m.names(), (strings{"deploy", "recovery", "decommission", "rolling-restart", "backup"}));
  EXPECT_THROW(m.add(broker_plan("deploy", 2)), std::invalid_argument);
  ASSERT_NE(m.find("recovery"), nullptr);
  EXPECT_EQ(m.find("nope"), nullptr);
}

TEST(PlanManagerTest, APodGoesToTheHigherPriorityPlan) {
  plan_manager m;
  m.add(broker_plan("recovery", 2));
  m.add(broker_plan("deploy", 3));
  EXPECT_EQ(described(m.candidates()),
            (strings{"deploy broker-0:[node]", "deploy broker-1:[node]", "deploy broker-2:[node]"}));
}

TEST(PlanManagerTest, APodHeldByOnePlanIsNotOfferedByAnother) {
  plan_manager m;
  plan& deploy = m.add(broker_plan("deploy", 2, strategy::serial));
  m.add(broker_plan("recovery", 2));
  step& deploy0 = deploy.phases()[0].steps()[0];
  ASSERT_TRUE(deploy0.start());
  // Deploy's PREPARED step keeps its pod and stays a candidate; recovery gets the other pod only.
  EXPECT_EQ(described(m.candidates()), (strings{"deploy broker-0:[node]", "recovery broker-1:[node]"}));
  ASSERT_TRUE(deploy0.on_launched());
  EXPECT_EQ(described(m.candidates()), strings{"recovery broker-1:[node]"});
  EXPECT_EQ(m.held_assets(), asset_set{"broker-0"});

  // Recovery starts on broker-1, and deploy's serial phase reaches broker-1: deploy must wait.
  plan& recovery = *m.find("recovery");
  step& recovery1 = recovery.phases()[0].steps()[1];
  ASSERT_TRUE(recovery1.start());
  ASSERT_TRUE(recovery1.on_launched());
  ASSERT_TRUE(deploy0.on_ready());
  EXPECT_EQ(described(m.candidates()), strings{"recovery broker-0:[node]"});  // broker-0 is free again
  ASSERT_TRUE(recovery1.on_ready());
  EXPECT_EQ(described(m.candidates()), (strings{"deploy broker-1:[node]", "recovery broker-0:[node]"}));
}

TEST(PlanManagerTest, TaskEventsGoToTheStepWorkingOnThePod) {
  plan_manager m;
  plan& deploy = m.add(broker_plan("deploy", 2));
  plan& recovery = m.add(broker_plan("recovery", 2));
  ASSERT_TRUE(deploy.phases()[0].steps()[0].start());
  ASSERT_TRUE(recovery.phases()[0].steps()[1].start());
  ASSERT_TRUE(recovery.phases()[0].steps()[1].on_launched());
  EXPECT_EQ(m.working_step("broker-0"), &deploy.phases()[0].steps()[0]);
  EXPECT_EQ(m.working_step("broker-1"), &recovery.phases()[0].steps()[1]);
  EXPECT_EQ(m.working_step("broker-7"), nullptr);
}

TEST(PlanManagerTest, CustomPlansWaitUntilStarted) {
  plan_manager m;
  plan& custom = m.add(broker_plan("rolling-restart", 1), true);
  EXPECT_TRUE(m.candidates().empty());
  EXPECT_EQ(custom.status(), status::waiting);
  custom.proceed();
  EXPECT_EQ(described(m.candidates()), strings{"rolling-restart broker-0:[node]"});
}

TEST(PlanManagerTest, ReplaceKeepsThePositionAndAddsWhenMissing) {
  plan_manager m;
  m.add(broker_plan("deploy", 1));
  m.add(broker_plan("custom", 1));
  m.replace(broker_plan("recovery", 1));
  m.replace(broker_plan("recovery", 3));
  EXPECT_EQ(m.names(), (strings{"deploy", "recovery", "custom"}));
  EXPECT_EQ(m.find("recovery")->phases()[0].steps().size(), 3u);
}

TEST(PlanManagerTest, HasOperationsUntilEveryPlanIsComplete) {
  plan_manager m;
  EXPECT_FALSE(m.has_operations());
  plan& deploy = m.add(broker_plan("deploy", 1));
  EXPECT_TRUE(m.has_operations());
  complete(deploy.phases()[0].steps()[0]);
  EXPECT_FALSE(m.has_operations());
}

TEST(SelectDeployPlanTest, UpdateIsServedAsDeployAfterTheFirstDeployment) {
  const plan deploy = broker_plan("deploy", 3, strategy::parallel);
  const plan update = broker_plan("update", 3, strategy::serial);

  const plan first = select_deploy_plan(deploy, update, false);
  EXPECT_EQ(first.name(), "deploy");
  EXPECT_EQ(first.phases()[0].strategy(), strategy::parallel);

  const plan later = select_deploy_plan(deploy, update, true);
  EXPECT_EQ(later.name(), "deploy");
  EXPECT_EQ(later.phases()[0].strategy(), strategy::serial);
  EXPECT_EQ(later.phases()[0].id(), element_id("deploy/broker"));

  const plan no_update = select_deploy_plan(deploy, std::nullopt, true);
  EXPECT_EQ(no_update.phases()[0].strategy(), strategy::parallel);
}

}  // namespace
}  // namespace ternmq::scheduler::plans
