// The /v1/plans routes through `router::dispatch`: each POST reaches its plan_queries function with
// the path's plan and the `phase`/`step` query, the start body becomes the plan's parameters, and
// answers go out as the SDK sends them (pretty JSON, plain-text 404/208/400).
#include <gtest/gtest.h>

#include "tests/unit/scheduler/api/api_test_support.hpp"

namespace ternmq::scheduler::api {
namespace {

using test_support::ApiTest;

void complete(plans::step& s) {
  ASSERT_TRUE(s.start());
  ASSERT_TRUE(s.on_launched());
  ASSERT_TRUE(s.on_ready());
}

TEST_F(ApiTest, ListsPlansPrettyPrinted) {
  const auto r = get("/v1/plans");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, "[\n  \"deploy\",\n  \"recovery\"\n]");
}

TEST_F(ApiTest, GetPlanCodeFollowsItsStatus) {
  auto r = get("/v1/plans/deploy");
  EXPECT_EQ(r.status, 202);
  const auto plan = json_of(r);
  EXPECT_EQ(plan["status"], "PENDING");
  EXPECT_EQ(plan["strategy"], "serial");
  ASSERT_EQ(plan["phases"].size(), 1u);
  EXPECT_EQ(plan["phases"][0]["name"], "node");
  EXPECT_EQ(plan["phases"][0]["steps"][2]["name"], "node-2:[broker]");
  EXPECT_EQ(plan["phases"][0]["steps"][2]["message"], "'node-2:[broker]' has status: 'PENDING'.");

  for (std::size_t i = 0; i < 3; ++i) complete(scheduler_.deploy_step(i));
  EXPECT_EQ(get("/v1/plans/deploy").status, 200);
  scheduler_.deploy().add_error("pods.node.count: cannot shrink from 3 to 2");
  r = get("/v1/plans/deploy");
  EXPECT_EQ(r.status, 417);
  EXPECT_EQ(json_of(r)["errors"][0], "pods.node.count: cannot shrink from 3 to 2");
}

TEST_F(ApiTest, UnknownPlanIsPlainText404AndGetOnACommandIs405) {
  const auto r = get("/v1/plans/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "text/plain");
  EXPECT_EQ(r.body, "Plan nope not found");
  EXPECT_EQ(post("/v1/plans/nope/stop").status, 404);
  EXPECT_EQ(get("/v1/plans/deploy/start").status, 405);
}

TEST_F(ApiTest, StartTakesAJsonObjectOfParameters) {
  scheduler_.deploy().interrupt();
  auto r = post("/v1/plans/deploy/start", R"({"NODE":"node-1","COUNT":2,"FORCE":true})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json_of(r)["message"], "Received cmd: start deploy with parameters: {COUNT=2, FORCE=true, NODE=node-1}");
  EXPECT_FALSE(scheduler_.deploy().interrupted());
  EXPECT_EQ(scheduler_.deploy().parameters().at("NODE"), "node-1");

  r = post("/v1/plans/deploy/start");  // no body: no parameters
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(scheduler_.deploy().parameters().empty());

  r = post("/v1/plans/deploy/start", "[1, 2]");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "Couldn't parse parameters: expected a JSON object of strings");
  EXPECT_EQ(post("/v1/plans/deploy/start", R"({"A":{"b":1}})").status, 400);
  r = post("/v1/plans/deploy/start", R"({"1BAD":"x"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "Couldn't parse parameters: 1BAD is not a valid environment variable name");
}

TEST_F(ApiTest, InterruptAndContinueWithAndWithoutPhase) {
  auto r = post("/v1/plans/deploy/interrupt");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json_of(r)["message"], "Received cmd: interrupt");
  EXPECT_TRUE(scheduler_.deploy().interrupted());
  r = post("/v1/plans/deploy/interrupt");
  EXPECT_EQ(r.status, 208);
  EXPECT_EQ(r.body, "Command has already been reported or completed");
  EXPECT_EQ(post("/v1/plans/deploy/continue").status, 200);
  EXPECT_FALSE(scheduler_.deploy().interrupted());

  EXPECT_EQ(post("/v1/plans/deploy/interrupt?phase=node").status, 200);
  EXPECT_TRUE(scheduler_.deploy().phases()[0].interrupted());
  EXPECT_EQ(post("/v1/plans/deploy/continue?phase=node").status, 200);
  EXPECT_FALSE(scheduler_.deploy().phases()[0].interrupted());
  EXPECT_EQ(post("/v1/plans/deploy/interrupt?phase=other").body, "Phase other not found");
}

TEST_F(ApiTest, ForceCompleteAndRestartAStep) {
  auto r = post("/v1/plans/deploy/forceComplete?phase=node&step=node-1:%5Bbroker%5D");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json_of(r)["message"],
            "Received cmd: forceComplete for Plan: deploy, Phase: node, Step: node-1:[broker]");
  EXPECT_EQ(scheduler_.deploy_step(1).status(), plans::status::complete);

  r = post("/v1/plans/deploy/restart?phase=node&step=node-1:[broker]");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(scheduler_.deploy_step(1).status(), plans::status::pending);
  EXPECT_EQ(post("/v1/plans/deploy/restart?step=node-1:[broker]").status, 400);
  EXPECT_EQ(post("/v1/plans/deploy/restart?phase=node&step=node-7:[broker]").body, "Step node-7:[broker] not found");

  EXPECT_EQ(post("/v1/plans/deploy/forceComplete").status, 200);
  EXPECT_TRUE(scheduler_.deploy().is_complete());
  EXPECT_EQ(post("/v1/plans/deploy/forceComplete").status, 208);
}

TEST_F(ApiTest, StopInterruptsAndResets) {
  complete(scheduler_.deploy_step(0));
  const auto r = post("/v1/plans/deploy/stop");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json_of(r)["message"], "Received cmd: stop");
  EXPECT_TRUE(scheduler_.deploy().interrupted());
  EXPECT_EQ(scheduler_.deploy_step(0).status(), plans::status::pending);  // reset
  EXPECT_EQ(scheduler_.deploy().status(), plans::status::waiting);       // and waiting for a start
}

TEST(PlanParameters, ParsesObjectsOfScalars) {
  EXPECT_TRUE(parse_plan_parameters("  \n")->empty());
  EXPECT_EQ(parse_plan_parameters(R"({"A":"x","B":1.5})")->at("B"), "1.5");
  EXPECT_FALSE(parse_plan_parameters("not json"));
  EXPECT_FALSE(parse_plan_parameters(R"({"A":null})"));
}

}  // namespace
}  // namespace ternmq::scheduler::api
