// /v1/health: the code for each state of the deploy and recovery plans and of the tasks' health,
// the {"value":code} body, and the reasons of the verbose form.
#include <gtest/gtest.h>

#include "scheduler/api/health_query.hpp"
#include "scheduler/plan/pod_plan_builder.hpp"
#include "tests/unit/scheduler/api/api_test_support.hpp"

namespace ternmq::scheduler::api {
namespace {

using nlohmann::json;
using test_support::ApiTest;

class HealthTest : public ApiTest {
 protected:
  int code() const { return get("/v1/health").status; }

  void complete_deploy(std::size_t from = 0) {
    for (std::size_t i = from; i < 3; ++i) {
      plans::step& s = scheduler_.deploy_step(i);
      ASSERT_TRUE(s.start());
      ASSERT_TRUE(s.on_launched());
      ASSERT_TRUE(s.on_ready());
    }
  }

  // A recovery plan relaunching node-1, as the scheduler builds one after a failure.
  plans::step& recover_node_1() {
    plans::plan& recovery = scheduler_.plans().replace(plans::build_pod_plan(
        "recovery", "node-1", plans::strategy::serial, {plans::pod_instance{"node", 1, {"broker"}}}));
    return recovery.phases()[0].steps()[0];
  }
};

TEST_F(HealthTest, DeployingAwaitingResourcesThenStartingThenRunning) {
  const auto r = get("/v1/health");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");  // HTTP allows no body with 204
  EXPECT_EQ(health(scheduler_.plans(), {}, false).json, (json{{"value", 204}}));
  ASSERT_TRUE(scheduler_.deploy_step(0).start());
  EXPECT_EQ(code(), 204);  // PREPARED: still evaluating offers
  ASSERT_TRUE(scheduler_.deploy_step(0).on_launched());
  EXPECT_EQ(code(), 204);  // the next steps are still PENDING
  ASSERT_TRUE(scheduler_.deploy_step(0).on_ready());
  complete_deploy(1);
  EXPECT_EQ(code(), 200);
  EXPECT_EQ(json_of(get("/v1/health")), (json{{"value", 200}}));
}

TEST_F(HealthTest, DeployingStartingWhenNoStepWaitsForResources) {
  scheduler_.deploy_step(1).force_complete();
  scheduler_.deploy_step(2).force_complete();
  ASSERT_TRUE(scheduler_.deploy_step(0).start());
  ASSERT_TRUE(scheduler_.deploy_step(0).on_launched());
  EXPECT_EQ(code(), 202);
  ASSERT_TRUE(scheduler_.deploy_step(0).on_running());
  EXPECT_EQ(code(), 202);  // STARTED: waiting for readiness
}

TEST_F(HealthTest, InterruptedOrCanaryIsWaitingForInputAndBackoffIsDelayed) {
  scheduler_.deploy().interrupt();
  EXPECT_EQ(code(), 207);
  scheduler_.deploy().proceed();
  ASSERT_TRUE(scheduler_.deploy_step(0).on_delayed());
  EXPECT_EQ(code(), 208);
}

TEST_F(HealthTest, ErrorsInAMonitoredPlanAre503) {
  scheduler_.deploy().add_error("pods.node.count: cannot shrink from 3 to 2");
  EXPECT_EQ(code(), 503);
  const json verbose = json_of(get("/v1/health?verbose=true"));
  EXPECT_EQ(verbose["value"], 503);
  EXPECT_EQ(verbose["reasons"][0], "errors: 503 (plan deploy: pods.node.count: cannot shrink from 3 to 2)");
}

TEST_F(HealthTest, RecoveringAwaitingResourcesThenStarting) {
  complete_deploy();
  plans::step& relaunch = recover_node_1();
  EXPECT_EQ(code(), 203);
  ASSERT_TRUE(relaunch.start());
  ASSERT_TRUE(relaunch.on_launched());
  EXPECT_EQ(code(), 205);
  ASSERT_TRUE(relaunch.on_ready());
  EXPECT_EQ(code(), 200);
}

TEST_F(HealthTest, DeployingOutranksRecovering) {
  recover_node_1();
  EXPECT_EQ(code(), 204);
}

TEST_F(HealthTest, AFailingHealthCheckIsDegraded) {
  complete_deploy();
  auto sick = scheduler_.running_broker(2);
  sick.healthy = false;
  scheduler_.add_task(scheduler_.running_broker(0));
  scheduler_.add_task(sick);
  EXPECT_EQ(code(), 206);
  sick.state = state::task_state::failed;  // failed for good: recovery's business, not degraded
  scheduler_.add_task(sick);
  EXPECT_EQ(code(), 200);
}

TEST_F(HealthTest, VerboseGivesOneReasonPerRule) {
  const json body = health(scheduler_.plans(), scheduler_.store().tasks(), true).json;
  EXPECT_EQ(body["value"], 204);
  const json expected = json::array({
      "errors: none in the monitored plans",
      "initializing: done",
      "deploying: 204 (plan deploy is PENDING, steps: PENDING=3)",
      "recovering: complete (plan recovery is COMPLETE, steps: none)",
      "degraded: every running task passes its health check",
      "restoring: no restore plan running",
      "backing up: no backup plan running",
      "running: no",
  });
  EXPECT_EQ(body["reasons"], expected);
  scheduler_.deploy().interrupt();
  EXPECT_EQ(json_of(get("/v1/health?verbose=true"))["reasons"][2],
            "deploying: 207 (plan deploy is WAITING, steps: PENDING=3)");
  EXPECT_EQ(json_of(get("/v1/health?verbose=false")), (json{{"value", 207}}));
}

TEST(HealthRules, InitializingWithoutADeployPlan) {
  plans::plan_manager empty;
  EXPECT_EQ(evaluate_health(empty, {}).code, 318);
}

TEST(HealthRules, RunningBackupOrRestorePlansAfterDeployment) {
  plans::plan_manager plans;
  plans.add(plans::plan("deploy", plans::strategy::serial, {}));
  plans::plan& backup = plans.add(
      plans::build_pod_plan("backup-s3", "backup", plans::strategy::serial, {plans::pod_instance{"node", 0, {"backup"}}}),
      true);
  EXPECT_EQ(evaluate_health(plans, {}).code, 200);  // custom plans wait for `start`
  backup.proceed();
  EXPECT_EQ(evaluate_health(plans, {}).code, 320);
  plans.add(plans::build_pod_plan("restore-s3", "restore", plans::strategy::serial,
                                  {plans::pod_instance{"node", 0, {"restore"}}}));
  EXPECT_EQ(evaluate_health(plans, {}).code, 321);
}

}  // namespace
}  // namespace ternmq::scheduler::api
