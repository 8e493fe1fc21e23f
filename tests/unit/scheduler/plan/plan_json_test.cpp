// Tests that `plan::to_json` has the SDK's PlanInfo shape (dcos.md section 5): field names,
// nesting, value spellings and step messages.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "scheduler/plan/plan.hpp"
#include "tests/unit/scheduler/plan/plan_test_support.hpp"

namespace ternmq::scheduler::plans {
namespace {

using test_support::complete;
using test_support::pod_phase;

TEST(PlanJsonTest, MatchesTheSdkPlanInfoShape) {
  std::vector<phase> phases;
  phases.push_back(pod_phase("broker", 2));
  plan p("deploy", strategy::serial, std::move(phases));
  complete(p.phases()[0].steps()[0]);
  ASSERT_TRUE(p.phases()[0].steps()[1].start());

  const nlohmann::json j = p.to_json();
  const phase& broker = p.phases()[0];
  const nlohmann::json steps = nlohmann::json::array({
      nlohmann::json::object({{"id", broker.steps()[0].id()},
                              {"name", "broker-0:[node]"},
                              {"status", "COMPLETE"},
                              {"message", "'broker-0:[node]' has status: 'COMPLETE'."}}),
      nlohmann::json::object({{"id", broker.steps()[1].id()},
                              {"name", "broker-1:[node]"},
                              {"status", "PREPARED"},
                              {"message", "'broker-1:[node]' has status: 'PREPARED'."}}),
  });
  const nlohmann::json expected = nlohmann::json::object({
      {"phases", nlohmann::json::array({nlohmann::json::object({
                     {"id", broker.id()},
                     {"name", "broker"},
                     {"steps", steps},
                     {"strategy", "serial"},
                     {"status", "IN_PROGRESS"},
                 })})},
      {"errors", nlohmann::json::array()},
      {"strategy", "serial"},
      {"status", "IN_PROGRESS"},
  });
  EXPECT_EQ(j, expected) << j.dump(2);
}

TEST(PlanJsonTest, FieldNamesAndTypes) {
  std::vector<phase> phases;
  phases.push_back(pod_phase("broker", 1, strategy::parallel));
  plan p("deploy", strategy::parallel, std::move(phases));
  p.add_error("Field 'pods.broker.count': cannot shrink");
  const nlohmann::json j = p.to_json();

  for (const char* key : {"phases", "errors", "strategy", "status"}) EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j.size(), 4u);
  EXPECT_EQ(j["status"], "ERROR");
  EXPECT_EQ(j["strategy"], "parallel");
  EXPECT_EQ(j["errors"], nlohmann::json::array({"Field 'pods.broker.count': cannot shrink"}));

  const nlohmann::json& ph = j["phases"][0];
  for (const char* key : {"id", "name", "steps", "strategy", "status"}) EXPECT_TRUE(ph.contains(key)) << key;
  EXPECT_EQ(ph.size(), 5u);
  EXPECT_EQ(ph["strategy"], "parallel");

  const nlohmann::json& st = ph["steps"][0];
  for (const char* key : {"id", "name", "status", "message"}) EXPECT_TRUE(st.contains(key)) << key;
  EXPECT_EQ(st.size(), 4u);
  EXPECT_TRUE(st["id"].is_string());
  EXPECT_EQ(st["id"].get<std::string>().size(), 36u);
}

TEST(PlanJsonTest, InterruptedAndCanaryPhasesShowWaiting) {
  std::vector<phase> phases;
  phases.push_back(pod_phase("broker", 2, strategy::serial_canary));
  const plan p("update", strategy::serial, std::move(phases));
  const nlohmann::json j = p.to_json();
  EXPECT_EQ(j["status"], "WAITING");
  EXPECT_EQ(j["phases"][0]["status"], "WAITING");
  EXPECT_EQ(j["phases"][0]["strategy"], "serial-canary");
  EXPECT_EQ(j["phases"][0]["steps"][0]["status"], "WAITING");
}

}  // namespace
}  // namespace ternmq::scheduler::plans
