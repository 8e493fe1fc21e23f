// Tests for plans: phases in order or side by side, the steps offered for launch, plan-level
// interruption, restart and force-complete, errors, ids and lookups.
#include "scheduler/plan/plan.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "scheduler/plan/element_id.hpp"
#include "tests/unit/scheduler/plan/plan_test_support.hpp"

namespace ternmq::scheduler::plans {
namespace {

using test_support::complete;
using test_support::names;
using test_support::pod_phase;
using strings = std::vector<std::string>;

plan two_phases(strategy s) {
  std::vector<phase> phases;
  phases.push_back(pod_phase("broker", 2));
  phases.push_back(pod_phase("bridge", 1));
  return plan("deploy", s, std::move(phases));
}

TEST(PlanTest, SerialPhasesRunOneAfterTheOther) {
  plan p = two_phases(strategy::serial);
  EXPECT_EQ(names(p.candidates()), strings{"broker-0:[node]"});
  EXPECT_EQ(p.status(), status::pending);
  complete(p.phases()[0].steps()[0]);
  EXPECT_EQ(p.status(), status::in_progress);
  complete(p.phases()[0].steps()[1]);
  EXPECT_EQ(names(p.candidates()), strings{"bridge-0:[node]"});
  complete(p.phases()[1].steps()[0]);
  EXPECT_TRUE(p.candidates().empty());
  EXPECT_EQ(p.status(), status::complete);
}

TEST(PlanTest, ParallelPhasesRunSideBySide) {
  plan p = two_phases(strategy::parallel);
  EXPECT_EQ(names(p.candidates()), (strings{"broker-0:[node]", "bridge-0:[node]"}));
}

TEST(PlanTest, CandidatesArePendingOrPreparedSteps) {
  plan p = two_phases(strategy::parallel);
  step& broker0 = p.phases()[0].steps()[0];
  ASSERT_TRUE(broker0.start());
  EXPECT_EQ(names(p.candidates()), (strings{"broker-0:[node]", "bridge-0:[node]"}));  // PREPARED: still needs offers
  ASSERT_TRUE(broker0.on_launched());
  EXPECT_EQ(names(p.candidates()), strings{"bridge-0:[node]"});  // STARTING: nothing to launch, next waits
  EXPECT_FALSE(broker0.on_delayed());  // backoff only applies before a launch
  step& bridge0 = p.phases()[1].steps()[0];
  ASSERT_TRUE(bridge0.on_delayed());
  EXPECT_TRUE(p.candidates().empty());  // DELAYED: not before the backoff ends
  ASSERT_TRUE(bridge0.on_delay_expired());
  EXPECT_EQ(names(p.candidates()), strings{"bridge-0:[node]"});
}

TEST(PlanTest, InterruptStopsNewCandidatesButNotTheStepUnderWay) {
  plan p = two_phases(strategy::serial);
  step& broker0 = p.phases()[0].steps()[0];
  ASSERT_TRUE(broker0.start());
  ASSERT_TRUE(broker0.on_launched());
  p.interrupt();
  EXPECT_EQ(p.status(), status::waiting);
  EXPECT_TRUE(p.candidates().empty());
  EXPECT_EQ(p.working_step("broker-0"), &broker0);  // its task events still arrive
  ASSERT_TRUE(broker0.on_ready());
  EXPECT_TRUE(p.candidates().empty());
  p.proceed();
  EXPECT_EQ(names(p.candidates()), strings{"broker-1:[node]"});
  EXPECT_EQ(p.status(), status::in_progress);
}

TEST(PlanTest, AnInterruptedPhaseShowsWaitingAndHoldsUpLaterPhases) {
  plan p = two_phases(strategy::serial);
  p.phases()[0].interrupt();
  EXPECT_EQ(p.status(), status::waiting);
  EXPECT_TRUE(p.candidates().empty());

  plan parallel = two_phases(strategy::parallel);
  parallel.phases()[0].interrupt();
  EXPECT_EQ(names(parallel.candidates()), strings{"bridge-0:[node]"});
  EXPECT_EQ(parallel.status(), status::waiting);
}

TEST(PlanTest, RestartAndForceComplete) {
  plan p = two_phases(strategy::serial);
  p.force_complete();
  EXPECT_EQ(p.status(), status::complete);
  p.restart();
  EXPECT_EQ(p.status(), status::pending);
  EXPECT_EQ(names(p.candidates()), strings{"broker-0:[node]"});
}

TEST(PlanTest, ErrorsComeFromEveryLevel) {
  plan p = two_phases(strategy::serial);
  p.add_error("plan error");
  p.phases()[1].add_error("phase error");
  p.phases()[1].steps()[0].add_error("step error");
  EXPECT_EQ(p.errors(), (strings{"plan error", "phase error", "step error"}));
  EXPECT_EQ(p.status(), status::error);
  EXPECT_TRUE(p.has_errors());
}

TEST(PlanTest, AnErroredPhaseBlocksASerialPlan) {
  plan p = two_phases(strategy::serial);
  p.phases()[0].steps()[0].add_error("invalid");
  EXPECT_TRUE(p.candidates().empty());
  EXPECT_EQ(p.status(), status::error);
}

TEST(PlanTest, HeldAssetsAndWorkingSteps) {
  plan p = two_phases(strategy::parallel);
  step& broker0 = p.phases()[0].steps()[0];
  step& bridge0 = p.phases()[1].steps()[0];
  EXPECT_TRUE(p.held_assets().empty());
  EXPECT_EQ(p.working_step("broker-0"), nullptr);
  ASSERT_TRUE(broker0.start());
  ASSERT_TRUE(bridge0.start());
  ASSERT_TRUE(bridge0.on_launched());
  EXPECT_EQ(p.held_assets(), (asset_set{"bridge-0", "broker-0"}));
  EXPECT_EQ(p.working_step("bridge-0"), &bridge0);
  ASSERT_TRUE(bridge0.on_ready());
  EXPECT_EQ(p.held_assets(), asset_set{"broker-0"});
  EXPECT_EQ(p.working_step("bridge-0"), nullptr);
}

TEST(PlanTest, BusyPodsAreSkipped) {
  plan p = two_phases(strategy::parallel);
  EXPECT_EQ(names(p.candidates({"broker-0"})), strings{"bridge-0:[node]"});
}

TEST(PlanTest, IdsComeFromPlanPhaseAndStepNames) {
  const plan p = two_phases(strategy::serial);
  const phase& broker = p.phases()[0];
  EXPECT_EQ(broker.id(), element_id("deploy/broker"));
  EXPECT_EQ(broker.steps()[1].id(), element_id("deploy/broker/broker-1:[node]"));
  EXPECT_EQ(two_phases(strategy::serial).phases()[0].steps()[1].id(), broker.steps()[1].id());  // stable

  const plan renamed = p.with_name("update");
  EXPECT_EQ(renamed.name(), "update");
  EXPECT_EQ(renamed.phases()[0].id(), element_id("update/broker"));
  EXPECT_EQ(renamed.phases()[0].steps()[0].id(), element_id("update/broker/broker-0:[node]"));
}

TEST(PlanTest, FindPhaseByIdOrName) {
  plan p = two_phases(strategy::serial);
  EXPECT_EQ(p.find_phase("bridge"), &p.phases()[1]);
  EXPECT_EQ(p.find_phase(p.phases()[1].id()), &p.phases()[1]);
  EXPECT_EQ(p.find_phase("nope"), nullptr);
}

TEST(PlanTest, Parameters) {
  plan p = two_phases(strategy::serial);
  p.set_parameters({{"LOG_LEVEL", "debug"}});
  EXPECT_EQ(p.parameters().at("LOG_LEVEL"), "debug");
}

TEST(PlanTest, InvalidPlansAreRejected) {
  std::vector<phase> duplicate;
  duplicate.push_back(pod_phase("broker", 1));
  duplicate.push_back(pod_phase("broker", 2));
  EXPECT_THROW(plan("deploy", strategy::serial, std::move(duplicate)), std::invalid_argument);
  EXPECT_THROW(plan("", strategy::serial, {}), std::invalid_argument);
  EXPECT_THROW(plan("deploy", strategy::serial_canary, {}), std::invalid_argument);
}

}  // namespace
}  // namespace ternmq::scheduler::plans
