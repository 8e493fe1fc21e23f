// The /v1/configurations and /v1/state routes: ids, the target, a stored configuration rebuilt and
// served as JSON, the framework id and the properties.
#include <gtest/gtest.h>

#include "tests/unit/scheduler/api/api_test_support.hpp"

namespace ternmq::scheduler::api {
namespace {

using nlohmann::json;
using test_support::ApiTest;

const std::string k_id = "11111111-2222-3333-4444-555555555555";

TEST_F(ApiTest, ConfigurationIdsAndTarget) {
  ASSERT_TRUE(scheduler_.mutable_store().store_configuration("00000000-old", test_support::test_configuration()));
  EXPECT_EQ(json_of(get("/v1/configurations")), json::array({"00000000-old", k_id}));
  EXPECT_EQ(json_of(get("/v1/configurations/targetId")), json::array({k_id}));
}

TEST_F(ApiTest, TargetConfigurationIsTheServiceSpecAsJson) {
  const auto r = get("/v1/configurations/target");
  EXPECT_EQ(r.status, 200);
  const json spec = json_of(r);
  EXPECT_EQ(spec["name"], "ternmq");
  EXPECT_EQ(spec["user"], "nobody");
  const json& task = spec["pods"][0]["tasks"][0];
  EXPECT_EQ(spec["pods"][0]["type"], "node");
  EXPECT_EQ(spec["pods"][0]["count"], 3);
  EXPECT_EQ(task["name"], "broker");
  EXPECT_EQ(task["ports"][0], (json{{"name", "mqtt"},
                                    {"port", 0},
                                    {"env-key", "PORT_MQTT"},
                                    {"advertise", true},
                                    {"vip", {{"prefix", "mqtt"}, {"port", 1883}, {"protocol", "tcp"}}},
                                    {"ranges", json::array()}}));
  EXPECT_EQ(task["env"]["MAX_CLIENT_ID_SIZE"], "100");
  EXPECT_EQ(task["configs"][0]["template-content"], "listener.tcp.default = 0.0.0.0:{{PORT_MQTT}}\n");
  EXPECT_EQ(spec["plans"][0]["name"], "deploy");
  EXPECT_EQ(json_of(get("/v1/configurations/" + k_id)), spec);
}

TEST_F(ApiTest, UnknownOrUnreadableConfiguration) {
  auto r = get("/v1/configurations/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "Configuration nope not found");
  ASSERT_TRUE(scheduler_.mutable_store().store_configuration("broken", {"name: [", {}, {}}));
  r = get("/v1/configurations/broken");
  EXPECT_EQ(r.status, 500);
  EXPECT_TRUE(r.body.starts_with("Configuration broken cannot be read: ")) << r.body;
}

TEST_F(ApiTest, FrameworkIdOnceRegistered) {
  EXPECT_EQ(get("/v1/state/frameworkId").status, 404);
  ASSERT_TRUE(scheduler_.mutable_store().set_framework_id("a1b2-0001"));
  EXPECT_EQ(json_of(get("/v1/state/frameworkId")), json::array({"a1b2-0001"}));
}

TEST_F(ApiTest, PropertiesAndOneProperty) {
  EXPECT_EQ(json_of(get("/v1/state/properties")), json::array());
  ASSERT_TRUE(scheduler_.mutable_store().set_property("last-completed-update-type", "DEPLOY"));
  ASSERT_TRUE(scheduler_.mutable_store().set_property("a-key", "x"));
  EXPECT_EQ(json_of(get("/v1/state/properties")), json::array({"a-key", "last-completed-update-type"}));
  const auto r = get("/v1/state/properties/last-completed-update-type");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain");
  EXPECT_EQ(r.body, "DEPLOY");
  EXPECT_EQ(get("/v1/state/properties/nope").body, "Property nope not found");
}

}  // namespace
}  // namespace ternmq::scheduler::api
