// `to_json(service_spec)`: every field of the model appears under its svc.yml name, with nulls for
// unset optionals, in svc.yml order.
#include "scheduler/api/service_spec_json.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace ternmq::scheduler::api {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

model::task_spec full_task() {
  model::task_spec t;
  t.name = "broker";
  t.goal = model::task_goal::finish;
  t.essential = false;
  t.cmd = "./run";
  t.cpus = 1.5;
  t.gpus = 1;
  t.memory_mb = 1024;
  t.ports = {{"mqtt", 1883, "PORT_MQTT", true, model::vip_spec{"mqtt", 1883, "tcp"}, {{1025, 2000}}}};
  t.volumes = {{"data", "ternmq-data", model::volume_type::mount, 2048}};
  t.resource_set = "";
  t.cpus_limit = std::numeric_limits<double>::infinity();
  t.memory_limit_mb = 4096;
  t.configs = {{"conf", "ternmq.conf.mustache", "ternmq.conf", "x={{X}}"}};
  t.env = {{"A", "1"}};
  t.labels = {{"team", "mqtt"}};
  t.health_check = model::health_check_spec{"./h", 30s, 1s, 20s, 60s, 3};
  t.readiness_check = model::readiness_check_spec{"./r", 5s, 0s, 10s};
  t.discovery = model::discovery_spec{"ternmq", "EXTERNAL"};
  t.kill_grace_period = 30s;
  t.transport_encryption = {{"node", model::encryption_type::keystore}};
  return t;
}

model::service_spec full_spec() {
  model::service_spec s;
  s.name = "/prod/ternmq";
  s.web_url = "http://ui";
  s.principal = "p";
  s.role = "r";
  s.user = "nobody";
  s.api_port = 8080;
  model::pod_spec pod;
  pod.type = "node";
  pod.count = 3;
  pod.allow_decommission = true;
  pod.placement = R"([["hostname","UNIQUE"]])";
  pod.image = "ternmq/ternmq:1";
  pod.uris = {"http://u"};
  pod.user = "root";
  pod.pre_reserved_role = "slave_public";
  pod.share_pid_namespace = true;
  pod.networks = {{"dcos", {1883}, {1884}, {{"k", "v"}}}};
  pod.rlimits = {{"RLIMIT_NOFILE", 128000, std::nullopt}};
  pod.secrets = {{"s1", "path/to", "SECRET", "secret.txt"}};
  pod.volumes = {{"", "pod-data", model::volume_type::root, 100}};
  pod.host_volumes = {{"logs", "/var/log", "logs"}};
  pod.resource_sets = {{"sidecar", 0.1, 0, 128, {}, {}}};
  pod.tasks = {full_task()};
  s.pods = {pod};
  s.plans = {{"deploy",
              model::strategy_type::serial,
              {{"node", model::strategy_type::parallel_canary, "node", {{0, {{"init"}, {"broker"}}}, {std::nullopt, {{"broker"}}}}}}}};
  return s;
}

TEST(ServiceSpecJson, ServiceAndPodFields) {
  const json j = to_json(full_spec());
  EXPECT_EQ(j["name"], "/prod/ternmq");
  EXPECT_EQ(j["web-url"], "http://ui");
  EXPECT_EQ(j["principal"], "p");
  EXPECT_EQ(j["role"], "r");
  EXPECT_EQ(j["user"], "nobody");
  EXPECT_EQ(j["zookeeper"], "master.mesos:2181");
  EXPECT_EQ(j["api-port"], 8080);
  const json& pod = j["pods"][0];
  EXPECT_EQ(pod["type"], "node");
  EXPECT_EQ(pod["count"], 3);
  EXPECT_EQ(pod["allow-decommission"], true);
  EXPECT_EQ(pod["placement"], R"([["hostname","UNIQUE"]])");
  EXPECT_EQ(pod["image"], "ternmq/ternmq:1");
  EXPECT_EQ(pod["uris"], json::array({"http://u"}));
  EXPECT_EQ(pod["user"], "root");
  EXPECT_EQ(pod["pre-reserved-role"], "slave_public");
  EXPECT_EQ(pod["share-pid-namespace"], true);
  EXPECT_EQ(pod["networks"][0],
            (json{{"name", "dcos"},
                  {"host-ports", json::array({1883})},
                  {"container-ports", json::array({1884})},
                  {"labels", {{"k", "v"}}}}));
  EXPECT_EQ(pod["rlimits"][0], (json{{"name", "RLIMIT_NOFILE"}, {"soft", 128000}, {"hard", nullptr}}));
  EXPECT_EQ(pod["secrets"][0], (json{{"name", "s1"}, {"secret", "path/to"}, {"env-key", "SECRET"}, {"file", "secret.txt"}}));
  EXPECT_EQ(pod["volumes"][0], (json{{"name", ""}, {"path", "pod-data"}, {"type", "ROOT"}, {"size", 100}}));
  EXPECT_EQ(pod["host-volumes"][0], (json{{"name", "logs"}, {"host-path", "/var/log"}, {"container-path", "logs"}}));
  EXPECT_EQ(pod["resource-sets"][0]["memory"], 128);
  EXPECT_EQ(pod["resource-sets"][0]["ports"], json::array());
}

TEST(ServiceSpecJson, TaskFields) {
  const json t = to_json(full_spec())["pods"][0]["tasks"][0];
  EXPECT_EQ(t["name"], "broker");
  EXPECT_EQ(t["goal"], "FINISH");
  EXPECT_EQ(t["essential"], false);
  EXPECT_EQ(t["cmd"], "./run");
  EXPECT_EQ(t["cpus"], 1.5);
  EXPECT_EQ(t["gpus"], 1.0);
  EXPECT_EQ(t["memory"], 1024);
  EXPECT_EQ(t["ports"][0]["ranges"], (json::array({{{"begin", 1025}, {"end", 2000}}})));
  EXPECT_EQ(t["ports"][0]["vip"]["prefix"], "mqtt");
  EXPECT_EQ(t["volumes"][0]["type"], "MOUNT");
  EXPECT_EQ(t["resource-set"], "");
  EXPECT_EQ(t["resource-limits"], (json{{"cpus", "unlimited"}, {"memory", 4096.0}}));
  EXPECT_EQ(t["configs"][0],
            (json{{"name", "conf"}, {"template", "ternmq.conf.mustache"}, {"dest", "ternmq.conf"}, {"template-content", "x={{X}}"}}));
  EXPECT_EQ(t["env"], (json{{"A", "1"}}));
  EXPECT_EQ(t["labels"], (json{{"team", "mqtt"}}));
  EXPECT_EQ(t["health-check"], (json{{"cmd", "./h"},
                                     {"interval", 30},
                                     {"delay", 1},
                                     {"timeout", 20},
                                     {"grace-period", 60},
                                     {"max-consecutive-failures", 3}}));
  EXPECT_EQ(t["readiness-check"], (json{{"cmd", "./r"}, {"interval", 5}, {"delay", 0}, {"timeout", 10}}));
  EXPECT_EQ(t["discovery"], (json{{"prefix", "ternmq"}, {"visibility", "EXTERNAL"}}));
  EXPECT_EQ(t["kill-grace-period"], 30);
  EXPECT_EQ(t["transport-encryption"], (json::array({{{"name", "node"}, {"type", "KEYSTORE"}}})));
}

TEST(ServiceSpecJson, UnsetOptionalsAreNull) {
  model::service_spec s;
  s.name = "x";
  s.pods.push_back(model::pod_spec{});
  s.pods[0].tasks.push_back(model::task_spec{});
  const json j = to_json(s);
  EXPECT_EQ(j["api-port"], nullptr);
  EXPECT_EQ(j["pods"][0]["image"], nullptr);
  const json& t = j["pods"][0]["tasks"][0];
  for (const char* key : {"health-check", "readiness-check", "discovery", "kill-grace-period"}) {
    EXPECT_EQ(t[key], nullptr) << key;
  }
  EXPECT_EQ(t["resource-limits"], (json{{"cpus", nullptr}, {"memory", nullptr}}));
}

TEST(ServiceSpecJson, PlansWithPerIndexAndDefaultSteps) {
  const json plan = to_json(full_spec())["plans"][0];
  EXPECT_EQ(plan["name"], "deploy");
  EXPECT_EQ(plan["strategy"], "serial");
  const json& phase = plan["phases"][0];
  EXPECT_EQ(phase["strategy"], "parallel-canary");
  EXPECT_EQ(phase["pod"], "node");
  const json init_then_broker = json::array({json::array({"init"}), json::array({"broker"})});
  const json broker_only = json::array({json::array({"broker"})});
  ASSERT_EQ(phase["steps"].size(), 2u);
  EXPECT_EQ(phase["steps"][0], (json{{"pod-index", 0}, {"task-groups", init_then_broker}}));
  EXPECT_EQ(phase["steps"][1], (json{{"pod-index", "default"}, {"task-groups", broker_only}}));
}

}  // namespace
}  // namespace ternmq::scheduler::api
