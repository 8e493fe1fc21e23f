// Tests for the /v1/plans queries: status codes (200/202/417, 208, 400, 404), bodies and the
// effect of each operator command, SDK `PlansQueries` being the reference.
#include "scheduler/plan/plan_queries.hpp"

#include <gtest/gtest.h>

#include "tests/unit/scheduler/plan/plan_test_support.hpp"

namespace ternmq::scheduler::plans {
namespace {

using test_support::complete;
using test_support::pod_phase;

class PlanQueriesTest : public ::testing::Test {
 protected:
  PlanQueriesTest() {
    std::vector<phase> phases;
    phases.push_back(pod_phase("broker", 2));
    deploy_ = &plans_.add(plan("deploy", strategy::serial, std::move(phases)));
  }

  step& step_at(int i) { return deploy_->phases()[0].steps()[static_cast<std::size_t>(i)]; }
  static std::string message(const response& r) { return r.json.at("message").get<std::string>(); }

  plan_manager plans_;
  plan* deploy_ = nullptr;
};

TEST_F(PlanQueriesTest, GetCodeFollowsThePlanStatus) {
  EXPECT_EQ(get_plan(plans_, "deploy").code, 202);  // PENDING
  complete(step_at(0));
  EXPECT_EQ(get_plan(plans_, "deploy").code, 202);  // IN_PROGRESS
  deploy_->interrupt();
  EXPECT_EQ(get_plan(plans_, "deploy").code, 202);  // WAITING
  deploy_->proceed();
  complete(step_at(1));
  EXPECT_EQ(get_plan(plans_, "deploy").code, 200);  // COMPLETE
  deploy_->add_error("Field 'pods.broker.count': cannot shrink from 3 to 2");
  const response r = get_plan(plans_, "deploy");
  EXPECT_EQ(r.code, 417);  // ERROR
  EXPECT_TRUE(r.is_json);
  EXPECT_EQ(r.json, deploy_->to_json());
}

TEST_F(PlanQueriesTest, HttpCodeForEveryPlanStatus) {
  EXPECT_EQ(http_code_for(*deploy_), 202);
  ASSERT_TRUE(step_at(0).on_delayed());
  EXPECT_EQ(deploy_->status(), status::delayed);
  EXPECT_EQ(http_code_for(*deploy_), 202);
  step_at(0).add_error("invalid");
  EXPECT_EQ(http_code_for(*deploy_), 417);
}

TEST_F(PlanQueriesTest, ListAndNotFound) {
  const response list = list_plans(plans_);
  EXPECT_EQ(list.code, 200);
  EXPECT_EQ(list.json, nlohmann::json::array({"deploy"}));

  const response missing = get_plan(plans_, "nope");
  EXPECT_EQ(missing.code, 404);
  EXPECT_FALSE(missing.is_json);
  EXPECT_EQ(missing.text, "Plan nope not found");
}

TEST_F(PlanQueriesTest, StartRestartsACompletePlanAndSetsParameters) {
  deploy_->force_complete();
  deploy_->interrupt();
  const response r = start_plan(plans_, "deploy", {{"B", "2"}, {"A_1", "x"}});
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(message(r), "Received cmd: start deploy with parameters: {A_1=x, B=2}");
  EXPECT_EQ(deploy_->status(), status::pending);
  EXPECT_FALSE(deploy_->interrupted());
  EXPECT_EQ(deploy_->parameters().at("B"), "2");

  const response bad = start_plan(plans_, "deploy", {{"1BAD", "x"}});
  EXPECT_EQ(bad.code, 400);
  EXPECT_EQ(bad.text, "Couldn't parse parameters: 1BAD is not a valid environment variable name");
  EXPECT_EQ(start_plan(plans_, "nope", {}).code, 404);
}

TEST_F(PlanQueriesTest, StopInterruptsAndResets) {
  complete(step_at(0));
  const response r = stop_plan(plans_, "deploy");
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(message(r), "Received cmd: stop");
  EXPECT_TRUE(deploy_->interrupted());
  EXPECT_EQ(step_at(0).status(), status::pending);
  EXPECT_EQ(deploy_->status(), status::waiting);
}

TEST_F(PlanQueriesTest, InterruptAndContinueThePlan) {
  EXPECT_EQ(continue_plan(plans_, "deploy").code, 208);  // PENDING is running: nothing to do
  const response paused = interrupt_plan(plans_, "deploy");
  EXPECT_EQ(paused.code, 200);
  EXPECT_EQ(message(paused), "Received cmd: interrupt");
  EXPECT_TRUE(plans_.candidates().empty());
  EXPECT_EQ(interrupt_plan(plans_, "deploy").code, 208);
  EXPECT_EQ(interrupt_plan(plans_, "deploy").text, "Command has already been reported or completed");

  const response resumed = continue_plan(plans_, "deploy");
  EXPECT_EQ(resumed.code, 200);
  EXPECT_EQ(message(resumed), "Received cmd: continue");
  EXPECT_EQ(plans_.candidates().size(), 1u);
}

TEST_F(PlanQueriesTest, InterruptAndContinueAPhaseByNameOrId) {
  EXPECT_EQ(interrupt_plan(plans_, "deploy", "broker").code, 200);
  EXPECT_TRUE(deploy_->phases()[0].interrupted());
  EXPECT_EQ(interrupt_plan(plans_, "deploy", deploy_->phases()[0].id()).code, 208);
  EXPECT_EQ(continue_plan(plans_, "deploy", deploy_->phases()[0].id()).code, 200);
  EXPECT_FALSE(deploy_->phases()[0].interrupted());
  EXPECT_EQ(continue_plan(plans_, "deploy", "broker").code, 208);

  const response missing = interrupt_plan(plans_, "deploy", "bridge");
  EXPECT_EQ(missing.code, 404);
  EXPECT_EQ(missing.text, "Phase bridge not found");
  EXPECT_EQ(continue_plan(plans_, "nope", "broker").code, 404);

  deploy_->force_complete();
  EXPECT_EQ(interrupt_plan(plans_, "deploy").code, 208);
  EXPECT_EQ(interrupt_plan(plans_, "deploy", "broker").code, 208);
  EXPECT_EQ(continue_plan(plans_, "deploy").code, 208);
}

TEST_F(PlanQueriesTest, ForceCompleteAStep) {
  const response r = force_complete(plans_, "deploy", "broker", "broker-0:[node]");
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(message(r), "Received cmd: forceComplete for Plan: deploy, Phase: broker, Step: broker-0:[node]");
  EXPECT_EQ(step_at(0).status(), status::complete);
  EXPECT_EQ(force_complete(plans_, "deploy", "broker", step_at(0).id()).code, 208);

  const response plan_level = force_complete(plans_, "deploy");
  EXPECT_EQ(message(plan_level), "Received cmd: forceComplete for Plan: deploy, Phase: null, Step: null");
  EXPECT_EQ(deploy_->status(), status::complete);
}

TEST_F(PlanQueriesTest, ElementLookupErrors) {
  const response no_phase = force_complete(plans_, "deploy", "", "broker-0:[node]");
  EXPECT_EQ(no_phase.code, 400);
  EXPECT_EQ(no_phase.text, "Missing phase");
  EXPECT_EQ(restart(plans_, "deploy", "", "broker-0:[node]").code, 400);
  EXPECT_EQ(force_complete(plans_, "deploy", "broker", "broker-9:[node]").text, "Step broker-9:[node] not found");
  EXPECT_EQ(restart(plans_, "deploy", "bridge").text, "Phase bridge not found");
  EXPECT_EQ(restart(plans_, "nope").code, 404);
}

TEST_F(PlanQueriesTest, RestartAStepPhaseOrPlan) {
  EXPECT_EQ(restart(plans_, "deploy", "broker", "broker-0:[node]").code, 208);  // already PENDING
  complete(step_at(0));
  const response r = restart(plans_, "deploy", "broker", "broker-0:[node]");
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(message(r), "Received cmd: restart for Plan: deploy, Phase: broker, Step: broker-0:[node]");
  EXPECT_EQ(step_at(0).status(), status::pending);

  complete(step_at(0));
  deploy_->phases()[0].interrupt();
  EXPECT_EQ(restart(plans_, "deploy", "broker").code, 200);  // restart also continues the phase
  EXPECT_FALSE(deploy_->phases()[0].interrupted());
  EXPECT_EQ(step_at(0).status(), status::pending);

  deploy_->force_complete();
  deploy_->interrupt();
  EXPECT_EQ(restart(plans_, "deploy").code, 200);
  EXPECT_FALSE(deploy_->interrupted());
  EXPECT_EQ(deploy_->status(), status::pending);
}

TEST(PlanQueriesCanaryTest, ContinueReleasesACanaryStepByStep) {
  plan_manager plans;
  std::vector<phase> phases;
  phases.push_back(pod_phase("broker", 3, strategy::serial_canary));
  plan& update = plans.add(plan("deploy", strategy::serial, std::move(phases)));
  EXPECT_TRUE(plans.candidates().empty());
  EXPECT_EQ(interrupt_plan(plans, "deploy", "broker").code, 208);  // already held by the canary
  EXPECT_EQ(continue_plan(plans, "deploy", "broker").code, 200);
  step& first = update.phases()[0].steps()[0];
  ASSERT_EQ(plans.candidates().size(), 1u);
  EXPECT_EQ(plans.candidates()[0].work, &first);
  complete(first);
  EXPECT_EQ(update.status(), status::waiting);
  EXPECT_TRUE(plans.candidates().empty());
  EXPECT_EQ(continue_plan(plans, "deploy", "broker").code, 200);
  ASSERT_EQ(plans.candidates().size(), 1u);
  EXPECT_EQ(plans.candidates()[0].work, &update.phases()[0].steps()[1]);
}

}  // namespace
}  // namespace ternmq::scheduler::plans
