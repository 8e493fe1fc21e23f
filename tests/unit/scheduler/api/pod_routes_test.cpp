// The /v1/pod routes: pod instances from the target spec and the task records, statuses, the
// Mesos-shaped info of a pod's tasks, and restart/replace through `scheduler_operations`.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/scheduler/api/api_test_support.hpp"

namespace ternmq::scheduler::api {
namespace {

using nlohmann::json;
using test_support::ApiTest;

// The value of variable `name` in a TaskInfo's command environment, or "<unset>".
std::string env_of(const json& info, const std::string& name) {
  for (const json& v : info["command"]["environment"]["variables"]) {
    if (v["name"] == name) return v["value"].get<std::string>();
  }
  return "<unset>";
}

TEST_F(ApiTest, ListsEveryInstanceOfTheTargetEvenWithoutTasks) {
  EXPECT_EQ(json_of(get("/v1/pod")), json::array({"node-0", "node-1", "node-2"}));
}

TEST_F(ApiTest, ListIsSortedAsStringsAndKeepsPodsOnlyTheRecordsKnow) {
  auto leftover = scheduler_.running_broker(10);  // e.g. being decommissioned after a scale-in
  scheduler_.add_task(leftover);
  auto stray = scheduler_.running_broker(0);
  stray.task_name = "mystery-task";
  stray.pod_type.clear();
  scheduler_.add_task(stray);
  EXPECT_EQ(json_of(get("/v1/pod")),
            json::array({"node-0", "node-1", "node-10", "node-2", "UNKNOWN_POD_mystery-task"}));
}

TEST_F(ApiTest, StatusOfAllPodsListsTasksWithoutTheTaskPrefix) {
  scheduler_.add_task(scheduler_.running_broker(0));
  auto failed = scheduler_.running_broker(2);
  failed.state = state::task_state::failed;
  scheduler_.add_task(failed);
  const json expected = {
      {"service", "ternmq"},
      {"pods",
       {{{"name", "node"},
         {"instances",
          {{{"name", "node-0"},
            {"tasks", {{{"id", "node-0-broker__1000"}, {"name", "node-0-broker"}, {"status", "RUNNING"}}}}},
           {{"name", "node-1"}, {"tasks", json::array()}},
           {{"name", "node-2"},
            {"tasks", {{{"id", "node-2-broker__1002"}, {"name", "node-2-broker"}, {"status", "FAILED"}}}}}}}}}}};
  EXPECT_EQ(json_of(get("/v1/pod/status")), expected);
}

TEST_F(ApiTest, StatusOfOnePod) {
  scheduler_.add_task(scheduler_.running_broker(1));
  EXPECT_EQ(json_of(get("/v1/pod/node-1/status")),
            (json{{"name", "node-1"},
                  {"tasks", {{{"id", "node-1-broker__1001"}, {"name", "node-1-broker"}, {"status", "RUNNING"}}}}}));
  EXPECT_EQ(json_of(get("/v1/pod/node-2/status")), (json{{"name", "node-2"}, {"tasks", json::array()}}));
  const auto missing = get("/v1/pod/node-9/status");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "Pod node-9 not found");
}

TEST_F(ApiTest, InfoIsTaskInfoAndTaskStatusShaped) {
  scheduler_.add_task(scheduler_.running_broker(0));
  const json all = json_of(get("/v1/pod/node-0/info"));
  ASSERT_EQ(all.size(), 1u);
  const json& info = all[0]["info"];
  EXPECT_EQ(info["name"], "node-0-broker");
  EXPECT_EQ(info["task_id"]["value"], "node-0-broker__1000");
  EXPECT_EQ(info["agent_id"]["value"], "agent-0");
  EXPECT_EQ(info["command"]["value"], "exec ./ternmq --config ternmq.conf");
  EXPECT_EQ(info["command"]["user"], "nobody");
  EXPECT_EQ(info["command"]["uris"][0]["value"], "http://example.com/ternmq.tgz");
  EXPECT_EQ(env_of(info, "PORT_MQTT"), "1025");
  EXPECT_EQ(env_of(info, "PORT_HTTP"), "1028");
  EXPECT_EQ(env_of(info, "TASK_NAME"), "node-0-broker");
  EXPECT_EQ(env_of(info, "node-0-broker"), "true");
  EXPECT_EQ(env_of(info, "POD_INSTANCE_INDEX"), "0");
  EXPECT_EQ(env_of(info, "FRAMEWORK_NAME"), "ternmq");
  EXPECT_EQ(env_of(info, "FRAMEWORK_HOST"), "ternmq.autoip.dcos.thisdcos.directory");
  EXPECT_EQ(env_of(info, "FRAMEWORK_VIP_HOST"), "ternmq.l4lb.thisdcos.directory");
  EXPECT_EQ(env_of(info, "LOG_CONSOLE_LEVEL"), "info");
  EXPECT_EQ(env_of(info, "MAX_CLIENT_ID_SIZE"), "100");  // routed from TASKCFG_ALL_

  const json& discovery = info["discovery"];
  EXPECT_EQ(discovery["name"], "ternmq-0");
  const json& ports = discovery["ports"]["ports"];
  ASSERT_EQ(ports.size(), 4u);
  EXPECT_EQ(ports[0], (json{{"number", 1025},
                            {"name", "mqtt"},
                            {"protocol", "tcp"},
                            {"visibility", "EXTERNAL"},
                            {"labels", {{"labels", {{{"key", "VIP_mqtt"}, {"value", "mqtt:1883"}}}}}}}));
  EXPECT_EQ(ports[3]["name"], "http");
  EXPECT_EQ(ports[3]["visibility"], "CLUSTER");
  EXPECT_FALSE(ports[3].contains("labels"));

  const json& resources = info["resources"];
  auto resource = [&](const std::string& name) {
    const auto it = std::find_if(resources.begin(), resources.end(), [&](const json& r) { return r["name"] == name; });
    return it == resources.end() ? json() : *it;
  };
  EXPECT_EQ(resource("cpus")["scalar"]["value"], 0.5);
  EXPECT_EQ(resource("mem")["scalar"]["value"], 256.0);
  EXPECT_EQ(resource("disk")["scalar"]["value"], 512.0);
  EXPECT_EQ(resource("disk")["disk"]["persistence"]["id"], "volume-0");
  EXPECT_EQ(resource("disk")["disk"]["volume"]["container_path"], "ternmq-data");
  EXPECT_EQ(resource("ports")["ranges"]["range"].size(), 4u);
  EXPECT_EQ(info["health_check"]["command"]["value"], "./healthy");
  EXPECT_EQ(info["health_check"]["consecutive_failures"], 3);
  EXPECT_EQ(info["check"]["command"]["command"]["value"], "./ready");
  EXPECT_EQ(info["kill_policy"]["grace_period"]["nanoseconds"], 30'000'000'000LL);

  const json& status = all[0]["status"];
  EXPECT_EQ(status["task_id"]["value"], "node-0-broker__1000");
  EXPECT_EQ(status["state"], "TASK_RUNNING");
  EXPECT_EQ(status["message"], "running");
  EXPECT_EQ(status["healthy"], true);
  EXPECT_EQ(status["agent_id"]["value"], "agent-0");
  EXPECT_EQ(status["check_status"]["command"]["exit_code"], 0);
  EXPECT_EQ(status["container_status"]["network_infos"][0]["ip_addresses"][0]["ip_address"], "10.0.0.1");
}

TEST_F(ApiTest, InfoOfAPodWithoutTasksIsEmptyAndOfAnUnknownPod404) {
  EXPECT_EQ(json_of(get("/v1/pod/node-1/info")), json::array());
  EXPECT_EQ(get("/v1/pod/other-0/info").status, 404);
}

TEST_F(ApiTest, InfoOfAnUnreadyTaskHasNoPassingCheck) {
  auto starting = scheduler_.running_broker(0);
  starting.state = state::task_state::starting;
  starting.ready = false;
  starting.healthy.reset();
  scheduler_.add_task(starting);
  const json status = json_of(get("/v1/pod/node-0/info"))[0]["status"];
  EXPECT_EQ(status["state"], "TASK_STARTING");
  EXPECT_FALSE(status.contains("healthy"));
  EXPECT_EQ(status["check_status"]["command"], json::object());
}

TEST_F(ApiTest, InfoUsesTheConfigurationTheTaskWasLaunchedWith) {
  auto old_config = test_support::test_configuration();
  const std::string from = "cpus: 0.5";
  old_config.svc_yml.replace(old_config.svc_yml.find(from), from.size(), "cpus: 2");
  ASSERT_TRUE(scheduler_.mutable_store().store_configuration("old", old_config));
  auto task = scheduler_.running_broker(0);
  task.config_id = "old";
  scheduler_.add_task(task);
  const json info = json_of(get("/v1/pod/node-0/info"))[0]["info"];
  EXPECT_EQ(info["resources"][0]["scalar"]["value"], 2.0);
  EXPECT_EQ(info["labels"]["labels"][3], (json{{"key", "target_configuration"}, {"value", "old"}}));
}

TEST_F(ApiTest, RestartAndReplaceAnswerWithThePodAndItsTasks) {
  scheduler_.add_task(scheduler_.running_broker(0));
  auto r = post("/v1/pod/node-0/restart");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json_of(r), (json{{"pod", "node-0"}, {"tasks", {"node-0-broker"}}}));
  EXPECT_EQ(scheduler_.restarted, std::vector<std::string>{"node-0"});

  r = post("/v1/pod/node-0/replace");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(scheduler_.replaced, std::vector<std::string>{"node-0"});
  const json labels = json_of(get("/v1/pod/node-0/info"))[0]["info"]["labels"]["labels"];
  EXPECT_TRUE(std::any_of(labels.begin(), labels.end(), [](const json& l) { return l["key"] == "permanently-failed"; }));

  r = post("/v1/pod/node-4/restart");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "Pod node-4 not found");
  EXPECT_EQ(post("/v1/pod/node-4/replace").status, 404);

  scheduler_.refusal = "a deployment is replacing node-0";
  r = post("/v1/pod/node-0/restart");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body, "a deployment is replacing node-0");
}

}  // namespace
}  // namespace ternmq::scheduler::api
