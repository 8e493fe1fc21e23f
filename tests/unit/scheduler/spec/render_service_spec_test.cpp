// Tests for `render_service_spec` on the TernMQ fixture (tests/data/svc/ternmq.yml): Mustache
// rendering against a Marathon-like environment, TASKCFG_* routing, error prefixes, and loading of
// config templates.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "scheduler/spec/service_spec_parser.hpp"
#include "scheduler/spec/spec_errc.hpp"
#include "scheduler/spec/task_env.hpp"

namespace ternmq::scheduler::spec {
namespace {

using namespace std::chrono_literals;
using env_map = std::map<std::string, std::string>;

std::string fixture() {
  std::ifstream in(std::string(TERNMQ_SVC_TEST_DATA) + "/ternmq.yml");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

env_map base_env() {
  return {{"FRAMEWORK_NAME", "ternmq"},
          {"FRAMEWORK_USER", "nobody"},
          {"NODE_COUNT", "3"},
          {"NODE_PLACEMENT", R"([["hostname", "UNIQUE"]])"},
          {"BOOTSTRAP_URI", "https://downloads.example/bootstrap.zip"},
          {"TERNMQ_URI", "https://downloads.example/ternmq-0.1.0.tar.gz"},
          {"NODE_DISK_TYPE", "ROOT"},
          {"NODE_DISK", "10000"},
          {"NODE_CPUS", "2"},
          {"NODE_MEM", "2048"},
          {"NODE_LOG_LEVEL", "info"},
          {"MQTT_PORT", "1883"},
          {"MQTT_TLS_PORT", "8883"},
          {"WS_PORT", "0"},
          {"WSS_PORT", "0"},
          {"DEPLOY_STRATEGY", "serial"},
          {"TASKCFG_ALL_TLS_ENABLED", "false"},
          {"TASKCFG_ALL_WS_ENABLED", "false"}};
}

std::vector<std::string> port_names(const model::task_spec& t) {
  std::vector<std::string> out;
  for (const auto& p : t.ports) out.push_back(p.name);
  return out;
}

TEST(RenderServiceSpec, FixtureRendersIntoTheTernmqService) {
  auto r = render_service_spec(fixture(), base_env());
  ASSERT_TRUE(r) << r.err().message;
  const model::service_spec& s = *r;
  EXPECT_EQ(s.name, "ternmq");
  EXPECT_EQ(s.principal, "ternmq-principal");  // FRAMEWORK_PRINCIPAL unset: the default
  EXPECT_EQ(s.user, "nobody");
  ASSERT_EQ(s.pods.size(), 1u);
  const model::pod_spec& pod = s.pods[0];
  EXPECT_EQ(pod.type, "node");
  EXPECT_EQ(pod.count, 3u);
  EXPECT_EQ(pod.placement, R"([["hostname", "UNIQUE"]])");
  EXPECT_EQ(pod.uris.size(), 2u);
  EXPECT_EQ(pod.rlimits, (std::vector<model::rlimit_spec>{{"RLIMIT_NOFILE", 1048576, 1048576}}));
  EXPECT_EQ(pod.volumes, (std::vector<model::volume_spec>{{"", "ternmq-data", model::volume_type::root, 10000}}));

  const model::task_spec& broker = pod.tasks.at(0);
  EXPECT_EQ(broker.name, "broker");
  EXPECT_EQ(broker.cpus, 2.0);
  EXPECT_EQ(broker.memory_mb, 2048u);
  EXPECT_EQ(port_names(broker), (std::vector<std::string>{"mqtt", "cluster", "http"}));
  EXPECT_EQ(*broker.find_port("mqtt"),
            (model::port_spec{"mqtt", 1883, "PORT_MQTT", true, model::vip_spec{"mqtt", 1883, "tcp"}, {}}));
  EXPECT_EQ(broker.find_port("cluster")->advertise, false);
  EXPECT_EQ(broker.configs.at(0).dest, "conf/ternmq.conf");
  EXPECT_EQ(broker.readiness_check->interval, 5s);
  EXPECT_EQ(broker.health_check->max_consecutive_failures, 3u);
  EXPECT_EQ(broker.kill_grace_period, 30s);

  ASSERT_EQ(s.plans.size(), 2u);
  EXPECT_EQ(s.plans[0].name, "deploy");
  EXPECT_EQ(s.plans[1].name, "update");
  EXPECT_EQ(s.plans[1].phases.at(0).task_groups_for(2), (std::vector<std::vector<std::string>>{{"broker"}}));
}

TEST(RenderServiceSpec, ListenerTogglesAddPorts) {
  env_map env = base_env();
  env["TASKCFG_ALL_TLS_ENABLED"] = "true";
  auto tls = render_service_spec(fixture(), env);
  ASSERT_TRUE(tls) << tls.err().message;
  EXPECT_EQ(port_names(tls->pods[0].tasks[0]), (std::vector<std::string>{"mqtt", "mqtt-tls", "cluster", "http"}));
  EXPECT_EQ(tls->pods[0].tasks[0].find_port("mqtt-tls")->vip, (model::vip_spec{"mqtt-tls", 8883, "tcp"}));

  env["TASKCFG_ALL_WS_ENABLED"] = "TRUE";
  auto all = render_service_spec(fixture(), env);
  ASSERT_TRUE(all) << all.err().message;
  EXPECT_EQ(port_names(all->pods[0].tasks[0]),
            (std::vector<std::string>{"mqtt", "mqtt-tls", "websocket", "websocket-tls", "cluster", "http"}));

  env["TASKCFG_ALL_TLS_ENABLED"] = "False";
  auto ws = render_service_spec(fixture(), env);
  ASSERT_TRUE(ws) << ws.err().message;
  EXPECT_EQ(port_names(ws->pods[0].tasks[0]), (std::vector<std::string>{"mqtt", "websocket", "cluster", "http"}));
}

TEST(RenderServiceSpec, TaskcfgVariablesReachTheTaskEnvironment) {
  env_map env = base_env();
  env["TASKCFG_ALL_TERNMQ_LOG_LEVEL"] = "debug";  // overrides svc.yml env
  env["TASKCFG_ALL_SHARED"] = "all";
  env["TASKCFG_NODE_SHARED"] = "node";  // pod-specific beats ALL
  env["TASKCFG_OTHER_X"] = "not for node";
  auto r = render_service_spec(fixture(), env);
  ASSERT_TRUE(r) << r.err().message;
  const auto& task_env = r->pods[0].tasks[0].env;
  EXPECT_EQ(task_env.at("TERNMQ_DATA_DIR"), "ternmq-data");
  EXPECT_EQ(task_env.at("TERNMQ_LOG_LEVEL"), "debug");
  EXPECT_EQ(task_env.at("SHARED"), "node");
  EXPECT_EQ(task_env.at("TLS_ENABLED"), "false");
  EXPECT_EQ(task_env.count("X"), 0u);
  EXPECT_EQ(task_env.count("OTHER_X"), 0u);
}

TEST(RenderServiceSpec, TaskEnvRouting) {
  EXPECT_EQ(pod_env_name("node-data.1"), "NODE_DATA_1");
  const env_map env{{"TASKCFG_ALL_A", "1"}, {"TASKCFG_NODE_DATA_B", "2"}, {"TASKCFG_NODE_C", "3"}, {"PATH", "/bin"}};
  EXPECT_EQ(routed_task_env(env, "node-data"), (env_map{{"A", "1"}, {"B", "2"}}));
  // As in dcos-commons, pod `node` also sees TASKCFG_NODE_DATA_B, as DATA_B.
  EXPECT_EQ(routed_task_env(env, "node"), (env_map{{"A", "1"}, {"C", "3"}, {"DATA_B", "2"}}));
}

TEST(RenderServiceSpec, ErrorsSayWhichTextTheyCountLinesIn) {
  auto bad_template = render_service_spec("name: {{#X}}\n", {});
  ASSERT_FALSE(bad_template);
  EXPECT_EQ(bad_template.err().code, static_cast<int>(spec_errc::template_syntax));
  EXPECT_EQ(bad_template.err().message, "svc.yml template: line 1, column 7: section \"X\" is never closed");

  env_map env = base_env();
  env["NODE_COUNT"] = "three";
  env["NODE_CPUS"] = "lots";
  auto bad_value = render_service_spec(fixture(), env);
  ASSERT_FALSE(bad_value);
  EXPECT_EQ(bad_value.err().code, static_cast<int>(spec_errc::invalid_spec));
  EXPECT_EQ(bad_value.err().message,
            "rendered svc.yml: pods.node.count: expected an integer from 0 to 2147483647, got \"three\" "
            "(line 12, column 12)\n"
            "rendered svc.yml: pods.node.tasks.broker.cpus: expected a number, got \"lots\" (line 29, column 15)");
}

TEST(RenderServiceSpec, StrictRenderingRefusesUnsetVariables) {
  env_map env = base_env();
  env.erase("NODE_MEM");
  const render_options strict{escaping::none, missing_variable_policy::fail};
  auto r = render_service_spec(fixture(), env, strict);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, static_cast<int>(spec_errc::missing_variable));
  EXPECT_NE(r.err().message.find("svc.yml template: line 30, column 17: variable \"NODE_MEM\" is not set"),
            std::string::npos)
      << r.err().message;
}

TEST(RenderServiceSpec, UnsetVariableLeavesARequiredFieldMissing) {
  env_map env = base_env();
  env.erase("NODE_MEM");
  auto r = render_service_spec(fixture(), env);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().message,
            "rendered svc.yml: pods.node.tasks.broker: missing required key \"memory\" (line 27, column 9)");
}

TEST(RenderServiceSpec, ConfigTemplatesAreLoadedIntoTheSpec) {
  auto r = render_service_spec(fixture(), base_env());
  ASSERT_TRUE(r) << r.err().message;
  model::service_spec spec = *r;
  const auto ok = load_config_templates(spec, [](const std::string& path) -> core::result<std::string> {
    return "# " + path + "\nlistener.tcp.default = 0.0.0.0:{{PORT_MQTT}}\n";
  });
  ASSERT_TRUE(ok) << ok.message();
  EXPECT_EQ(spec.pods[0].tasks[0].configs[0].template_content,
            "# ternmq.conf.mustache\nlistener.tcp.default = 0.0.0.0:{{PORT_MQTT}}\n");
  EXPECT_NE(spec, *r);  // a template edit is a spec change

  const auto failed = load_config_templates(spec, [](const std::string&) -> core::result<std::string> {
    return core::error{2, "No such file or directory"};
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.message(),
            "pods.node.tasks.broker.configs.ternmq-conf.template: cannot read \"ternmq.conf.mustache\": "
            "No such file or directory");
}

}  // namespace
}  // namespace ternmq::scheduler::spec
