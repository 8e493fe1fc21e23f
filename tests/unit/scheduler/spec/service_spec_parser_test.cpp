// Tests for `parse_service_spec`: the svc.yml mapping, its dcos-commons defaults, and its errors,
// which are asserted as whole strings so that their "PATH: reason (line L, column C)" shape cannot
// drift.
#include "scheduler/spec/service_spec_parser.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "scheduler/spec/spec_errc.hpp"

namespace ternmq::scheduler::spec {
namespace {

using namespace std::chrono_literals;

// A valid spec whose task body is `task` (indented by the caller, 6 spaces).
std::string with_task(const std::string& task) {
  return "name: mqtt\n"
         "pods:\n"
         "  node:\n"
         "    tasks:\n"
         "      broker:\n" +
         task;
}

const std::string k_task =
    "        cmd: ./broker\n"
    "        cpus: 1\n"
    "        memory: 512\n";

std::string error_of(const std::string& yaml) {
  auto r = parse_service_spec(yaml);
  return r ? std::string("<parsed without error>") : r.err().message;
}

TEST(ServiceSpecParser, MinimalSpecGetsDcosCommonsDefaults) {
  auto r = parse_service_spec(with_task(k_task));
  ASSERT_TRUE(r) << r.err().message;
  const model::service_spec& s = *r;
  EXPECT_EQ(s.name, "mqtt");
  EXPECT_EQ(s.principal, "mqtt-principal");
  EXPECT_EQ(s.role, "mqtt-role");
  EXPECT_EQ(s.user, "root");
  EXPECT_EQ(s.zookeeper, "master.mesos:2181");
  EXPECT_FALSE(s.api_port);
  EXPECT_TRUE(s.plans.empty());
  ASSERT_EQ(s.pods.size(), 1u);
  const model::pod_spec& pod = s.pods[0];
  EXPECT_EQ(pod.type, "node");
  EXPECT_EQ(pod.count, 1u);
  EXPECT_FALSE(pod.allow_decommission);
  EXPECT_EQ(pod.pre_reserved_role, "*");
  EXPECT_FALSE(pod.image);
  ASSERT_EQ(pod.tasks.size(), 1u);
  const model::task_spec& t = pod.tasks[0];
  EXPECT_EQ(t.name, "broker");
  EXPECT_EQ(t.goal, model::task_goal::running);
  EXPECT_TRUE(t.essential);
  EXPECT_EQ(t.cmd, "./broker");
  EXPECT_EQ(t.cpus, 1.0);
  EXPECT_EQ(t.memory_mb, 512u);
  EXPECT_FALSE(t.health_check);
  EXPECT_FALSE(t.readiness_check);
}

TEST(ServiceSpecParser, SchedulerSection) {
  auto r = parse_service_spec(
      "name: /prod/mqtt\n"
      "web-url: http://example.com/\n"
      "scheduler:\n"
      "  principal:\n"  // null, as an unset {{FRAMEWORK_PRINCIPAL}} renders: the default applies
      "  user: nobody\n"
      "  zookeeper: zk-1.zk:2181\n"
      "  api-port: 8080\n"
      "pods:\n  node:\n    tasks:\n      broker:\n" + k_task);
  ASSERT_TRUE(r) << r.err().message;
  EXPECT_EQ(r->name, "/prod/mqtt");
  EXPECT_EQ(r->web_url, "http://example.com/");
  EXPECT_EQ(r->principal, "prod__mqtt-principal");
  EXPECT_EQ(r->role, "prod__mqtt-role");
  EXPECT_EQ(r->user, "nobody");
  EXPECT_EQ(r->zookeeper, "zk-1.zk:2181");
  EXPECT_EQ(r->api_port, 8080);
}

TEST(ServiceSpecParser, EveryTaskField) {
  auto r = parse_service_spec(with_task(
      "        goal: FINISH\n"
      "        essential: no\n"
      "        cmd: \"echo $PORT_MQTT\"\n"
      "        cpus: \"0.5\"\n"
      "        gpus: 1\n"
      "        memory: 256\n"
      "        resource-limits: { cpus: unlimited, memory: 1024 }\n"
      "        env: { A: x, NUM: 5, EMPTY: }\n"
      "        labels: \"team:mqtt,tier:1\"\n"
      "        configs:\n"
      "          conf: { template: broker.conf.mustache, dest: conf/broker.conf }\n"
      "        ports:\n"
      "          mqtt: { port: 1883, env-key: PORT_MQTT, advertise: true, vip: { port: 1883 } }\n"
      "          cluster: { env-key: PORT_CLUSTER, ranges: [ {begin: 10000, end: 10100} ] }\n"
      "          ws: { port: 8080, vip: { prefix: web, port: 80, protocol: TCP } }\n"
      "        volumes:\n"
      "          data: { path: data, type: MOUNT, size: 5000 }\n"
      "        health-check: { cmd: ok, interval: 30, grace-period: 60, max-consecutive-failures: 3, delay: 1, timeout: 20 }\n"
      "        readiness-check: { cmd: ready, interval: 5, delay: 2, timeout: 10 }\n"
      "        discovery: { prefix: mqtt, visibility: CLUSTER }\n"
      "        kill-grace-period: 15\n"
      "        transport-encryption: [ { name: node, type: TLS }, { name: ks, type: KEYSTORE } ]\n"));
  ASSERT_TRUE(r) << r.err().message;
  const model::task_spec& t = r->pods[0].tasks[0];
  EXPECT_EQ(t.goal, model::task_goal::finish);
  EXPECT_FALSE(t.essential);
  EXPECT_EQ(t.cmd, "echo $PORT_MQTT");
  EXPECT_EQ(t.cpus, 0.5);
  EXPECT_EQ(t.gpus, 1.0);
  EXPECT_EQ(t.memory_mb, 256u);
  EXPECT_TRUE(t.cpus_limit && std::isinf(*t.cpus_limit));
  EXPECT_EQ(t.memory_limit_mb, 1024.0);
  EXPECT_EQ(t.env, (std::map<std::string, std::string>{{"A", "x"}, {"EMPTY", ""}, {"NUM", "5"}}));
  EXPECT_EQ(t.labels, (std::map<std::string, std::string>{{"team", "mqtt"}, {"tier", "1"}}));
  ASSERT_EQ(t.configs.size(), 1u);
  EXPECT_EQ(t.configs[0], (model::config_spec{"conf", "broker.conf.mustache", "conf/broker.conf", ""}));

  ASSERT_EQ(t.ports.size(), 3u);
  EXPECT_EQ(t.ports[0], (model::port_spec{"mqtt", 1883, "PORT_MQTT", true, model::vip_spec{"mqtt", 1883, "tcp"}, {}}));
  EXPECT_EQ(t.ports[1], (model::port_spec{"cluster", 0, "PORT_CLUSTER", false, std::nullopt, {{10000, 10100}}}));
  EXPECT_EQ(t.ports[2].vip, (model::vip_spec{"web", 80, "tcp"}));
  EXPECT_EQ(t.find_port("ws"), &t.ports[2]);

  ASSERT_EQ(t.volumes.size(), 1u);
  EXPECT_EQ(t.volumes[0], (model::volume_spec{"data", "data", model::volume_type::mount, 5000}));
  EXPECT_EQ(t.health_check, (model::health_check_spec{"ok", 30s, 1s, 20s, 60s, 3}));
  EXPECT_EQ(t.readiness_check, (model::readiness_check_spec{"ready", 5s, 2s, 10s}));
  EXPECT_EQ(t.discovery, (model::discovery_spec{"mqtt", "CLUSTER"}));
  EXPECT_EQ(t.kill_grace_period, 15s);
  EXPECT_EQ(t.transport_encryption,
            (std::vector<model::transport_encryption_spec>{{"node", model::encryption_type::tls},
                                                           {"ks", model::encryption_type::keystore}}));
}

TEST(ServiceSpecParser, EveryPodField) {
  auto r = parse_service_spec(
      "name: mqtt\n"
      "pods:\n"
      "  node:\n"
      "    count: 3\n"
      "    allow-decommission: true\n"
      "    placement: '[[\"hostname\", \"UNIQUE\"]]'\n"
      "    image: ternmq/ternmq:1.0\n"
      "    uris: [ http://a/bootstrap.zip, http://a/ternmq.tgz ]\n"
      "    user: nobody\n"
      "    pre-reserved-role: slave_public\n"
      "    share-pid-namespace: true\n"
      "    networks: { dcos: , bridge: { host-ports: [8080], container-ports: [80], labels: \"a:b\" } }\n"
      "    rlimits: { RLIMIT_NOFILE: { soft: 1024, hard: 4096 }, RLIMIT_CORE: }\n"
      "    secrets: { s1: { secret: mqtt/key, env-key: KEY, file: key.pem } }\n"
      "    volume: { path: data, size: 100 }\n"
      "    host-volumes: { certs: { host-path: /etc/certs, container-path: certs } }\n"
      "    resource-sets:\n"
      "      shared: { cpus: 1, memory: 256, ports: { admin: { port: 9000 } } }\n"
      "    tasks:\n"
      "      init: { goal: ONCE, cmd: ./init, resource-set: shared }\n"
      "      broker: { cmd: ./broker, resource-set: shared }\n");
  ASSERT_TRUE(r) << r.err().message;
  const model::pod_spec& p = r->pods[0];
  EXPECT_EQ(p.count, 3u);
  EXPECT_TRUE(p.allow_decommission);
  EXPECT_EQ(p.placement, R"([["hostname", "UNIQUE"]])");
  EXPECT_EQ(p.image, "ternmq/ternmq:1.0");
  EXPECT_EQ(p.uris, (std::vector<std::string>{"http://a/bootstrap.zip", "http://a/ternmq.tgz"}));
  EXPECT_EQ(p.user, "nobody");
  EXPECT_EQ(r->user_of(p), "nobody");
  EXPECT_EQ(p.pre_reserved_role, "slave_public");
  EXPECT_TRUE(p.share_pid_namespace);
  ASSERT_EQ(p.networks.size(), 2u);
  EXPECT_EQ(p.networks[0], (model::network_spec{"dcos", {}, {}, {}}));
  EXPECT_EQ(p.networks[1], (model::network_spec{"bridge", {8080}, {80}, {{"a", "b"}}}));
  ASSERT_EQ(p.rlimits.size(), 2u);
  EXPECT_EQ(p.rlimits[0], (model::rlimit_spec{"RLIMIT_NOFILE", 1024, 4096}));
  EXPECT_EQ(p.rlimits[1], (model::rlimit_spec{"RLIMIT_CORE", std::nullopt, std::nullopt}));
  EXPECT_EQ(p.secrets, (std::vector<model::secret_spec>{{"s1", "mqtt/key", "KEY", "key.pem"}}));
  EXPECT_EQ(p.volumes, (std::vector<model::volume_spec>{{"", "data", model::volume_type::root, 100}}));
  EXPECT_EQ(p.host_volumes, (std::vector<model::host_volume_spec>{{"certs", "/etc/certs", "certs"}}));
  ASSERT_EQ(p.resource_sets.size(), 1u);
  EXPECT_EQ(p.resource_sets[0].ports.at(0).port, 9000);
  EXPECT_EQ(p.find_resource_set("shared"), &p.resource_sets[0]);
  ASSERT_EQ(p.tasks.size(), 2u);
  EXPECT_EQ(p.tasks[0].name, "init");
  EXPECT_EQ(p.tasks[0].goal, model::task_goal::once);
  EXPECT_EQ(p.tasks[0].resource_set, "shared");
  EXPECT_EQ(p.tasks[0].cpus, 0.0);
  EXPECT_EQ(p.find_task("broker"), &p.tasks[1]);
  EXPECT_EQ(p.find_task("nope"), nullptr);
}

TEST(ServiceSpecParser, Plans) {
  auto r = parse_service_spec(
      "name: mqtt\n"
      "pods:\n"
      "  node:\n"
      "    count: 3\n"
      "    tasks:\n"
      "      init: { goal: ONCE, cmd: ./init, cpus: 0.1, memory: 32 }\n"
      "      broker: { cmd: ./broker, cpus: 1, memory: 512 }\n"
      "plans:\n"
      "  deploy:\n"
      "    strategy: parallel\n"
      "    phases:\n"
      "      first:\n"
      "        pod: node\n"
      "        strategy: canary\n"
      "        steps:\n"
      "          - 0: [[init], [broker]]\n"
      "          - default: [[broker]]\n"
      "      second: { pod: node }\n"
      "  update:\n"
      "    phases: { rolling: { pod: node, strategy: serial } }\n");
  ASSERT_TRUE(r) << r.err().message;
  ASSERT_EQ(r->plans.size(), 2u);
  const model::plan_spec& deploy = r->plans[0];
  EXPECT_EQ(deploy.name, "deploy");
  EXPECT_EQ(deploy.strategy, model::strategy_type::parallel);
  ASSERT_EQ(deploy.phases.size(), 2u);
  const model::phase_spec& first = deploy.phases[0];
  EXPECT_EQ(first.name, "first");
  EXPECT_EQ(first.pod, "node");
  EXPECT_EQ(first.strategy, model::strategy_type::serial_canary);
  ASSERT_EQ(first.steps.size(), 2u);
  EXPECT_EQ(first.steps[0].pod_index, 0u);
  EXPECT_EQ(first.steps[1].pod_index, std::nullopt);
  using groups = std::vector<std::vector<std::string>>;
  EXPECT_EQ(first.task_groups_for(0), (groups{{"init"}, {"broker"}}));
  EXPECT_EQ(first.task_groups_for(2), (groups{{"broker"}}));
  EXPECT_TRUE(deploy.phases[1].steps.empty());
  EXPECT_EQ(deploy.phases[1].strategy, model::strategy_type::serial);
  EXPECT_EQ(r->find_plan("update")->phases.at(0).name, "rolling");
  EXPECT_EQ(r->find_plan("update")->strategy, model::strategy_type::serial);
  EXPECT_EQ(r->find_plan("recovery"), nullptr);
}

TEST(ServiceSpecParser, NumbersMayBeQuotedAndBooleansUseYaml11Words) {
  auto r = parse_service_spec(with_task("        cmd: x\n        cpus: '2'\n        memory: \"64\"\n        essential: Off\n"));
  ASSERT_TRUE(r) << r.err().message;
  EXPECT_EQ(r->pods[0].tasks[0].cpus, 2.0);
  EXPECT_EQ(r->pods[0].tasks[0].memory_mb, 64u);
  EXPECT_FALSE(r->pods[0].tasks[0].essential);
}

// --- errors ---

TEST(ServiceSpecParserErrors, WrongTypeNamesPathAndPosition) {
  EXPECT_EQ(error_of(with_task("        cmd: x\n        cpus: abc\n        memory: 1\n")),
            "pods.node.tasks.broker.cpus: expected a number, got \"abc\" (line 7, column 15)");
  EXPECT_EQ(error_of(with_task("        cmd: x\n        cpus: 0\n        memory: 1.5\n")),
            "pods.node.tasks.broker.cpus: expected a number greater than 0, got 0 (line 7, column 15)\n"
            "pods.node.tasks.broker.memory: expected an integer from 1 to 2147483647, got \"1.5\" (line 8, column 17)");
  EXPECT_EQ(error_of(with_task("        cmd: [a, b]\n        cpus: 1\n        memory: 1\n")),
            "pods.node.tasks.broker.cmd: expected a string, got a list (line 6, column 14)");
  EXPECT_EQ(error_of(with_task(k_task + "        essential: maybe\n")),
            "pods.node.tasks.broker.essential: expected true or false, got \"maybe\" (line 9, column 20)");
}

TEST(ServiceSpecParserErrors, UnknownKeysAreErrorsWithSuggestions) {
  EXPECT_EQ(error_of(with_task("        cmd: x\n        cpu: 1\n        memory: 1\n")),
            "pods.node.tasks.broker.cpu: unknown key (did you mean \"cpus\"?) (line 7, column 9)\n"
            "pods.node.tasks.broker: missing required key \"cpus\" (line 6, column 9)");
  EXPECT_EQ(error_of(with_task(k_task + "        frobnicate: 1\n")),
            "pods.node.tasks.broker.frobnicate: unknown key (line 9, column 9)");
  EXPECT_EQ(error_of("name: x\nscheduler: { usr: a }\npods: { node: { tasks: { t: { cmd: x, cpus: 1, memory: 1 } } } }\n"),
            "scheduler.usr: unknown key (did you mean \"user\"?) (line 2, column 14)");
  EXPECT_EQ(error_of("name: x\nPods: {}\n"),
            "Pods: unknown key (did you mean \"pods\"?) (line 2, column 1)\n"
            ": missing required key \"pods\" (line 1, column 1)");
}

TEST(ServiceSpecParserErrors, RequiredFields) {
  EXPECT_EQ(error_of("pods:\n  node:\n    tasks:\n      broker: { cpus: 1, memory: 1 }\n"),
            ": missing required key \"name\" (line 1, column 1)\n"
            "pods.node.tasks.broker: missing required key \"cmd\" (line 4, column 15)");
  EXPECT_EQ(error_of("name: x\npods:\n  node:\n    count: 2\n"),
            "pods.node: missing required key \"tasks\" (line 4, column 5)");
  EXPECT_EQ(error_of("name: x\npods: {}\n"), "pods: must declare at least one pod type (line 2, column 7)");
  EXPECT_EQ(error_of(with_task(k_task + "        volume: { type: ROOT }\n")),
            "pods.node.tasks.broker.volume: missing required key \"path\" (line 9, column 17)\n"
            "pods.node.tasks.broker.volume: missing required key \"size\" (line 9, column 17)");
  EXPECT_EQ(error_of(with_task(k_task + "        readiness-check: { cmd: x, interval: 5 }\n")),
            "pods.node.tasks.broker.readiness-check: missing required key \"delay\" (line 9, column 26)\n"
            "pods.node.tasks.broker.readiness-check: missing required key \"timeout\" (line 9, column 26)");
}

TEST(ServiceSpecParserErrors, EnumeratedValues) {
  EXPECT_EQ(error_of(with_task(k_task + "        goal: RUN\n")),
            "pods.node.tasks.broker.goal: expected RUNNING, FINISH or ONCE, got \"RUN\" (line 9, column 15)");
  EXPECT_EQ(error_of(with_task(k_task + "        volume: { path: d, size: 1, type: root }\n")),
            "pods.node.tasks.broker.volume.type: expected ROOT or MOUNT, got \"root\" (line 9, column 43)");
  EXPECT_EQ(error_of(with_task(k_task) + "plans:\n  deploy:\n    strategy: fast\n    phases: { p: { pod: node } }\n"),
            "plans.deploy.strategy: expected serial, parallel, serial-canary, canary or parallel-canary, got \"fast\" "
            "(line 11, column 15)");
}

TEST(ServiceSpecParserErrors, RangesAndLimits) {
  EXPECT_EQ(error_of("name: x\npods:\n  node:\n    count: -1\n    tasks: { t: { cmd: x, cpus: 1, memory: 1 } }\n"),
            "pods.node.count: expected an integer from 0 to 2147483647, got -1 (line 4, column 12)");
  EXPECT_EQ(error_of(with_task(k_task + "        ports: { mqtt: { port: 70000 } }\n")),
            "pods.node.tasks.broker.ports.mqtt.port: expected an integer from 0 to 65535, got 70000 (line 9, column 32)");
  EXPECT_EQ(error_of(with_task(k_task + "        resource-limits: { cpus: 0.5 }\n")),
            "pods.node.tasks.broker.resource-limits.cpus: must be at least the requested cpus or \"unlimited\" "
            "(line 9, column 34)");
}

TEST(ServiceSpecParserErrors, DuplicateKeys) {
  EXPECT_EQ(error_of(with_task(k_task + "        cpus: 2\n")),
            "pods.node.tasks.broker.cpus: duplicate key (first at line 7, column 9) (line 9, column 9)");
}

TEST(ServiceSpecParserErrors, UnsupportedDcosCommonsKeysAreRefusedByName) {
  EXPECT_EQ(error_of("name: x\npods:\n  node:\n    seccomp-unconfined: true\n"
                     "    tasks: { t: { cmd: x, cpus: 1, memory: 1 } }\n"),
            "pods.node.seccomp-unconfined: not supported by ternmq-scheduler (line 4, column 25)");
}

TEST(ServiceSpecParserErrors, ResourceSets) {
  EXPECT_EQ(error_of(with_task("        cmd: x\n        resource-set: missing\n        cpus: 1\n")),
            "pods.node.tasks.broker.cpus: not allowed together with resource-set, which provides the task's resources "
            "(line 8, column 15)\n"
            "pods.node.tasks.broker.resource-set: no resource set \"missing\" in pods.node.resource-sets (line 7, column 9)");
}

TEST(ServiceSpecParserErrors, NamesMustBeDnsLabels) {
  EXPECT_EQ(error_of("name: x\npods:\n  Node_1:\n    tasks: { t: { cmd: x, cpus: 1, memory: 1 } }\n"),
            "pods.Node_1: \"Node_1\" is not a valid name: use 1 to 63 lower-case letters, digits and '-', not at "
            "either end (it becomes part of DNS names) (line 3, column 3)");
  EXPECT_EQ(error_of(with_task(k_task + "        env: { 1X: a }\n")),
            "pods.node.tasks.broker.env.1X: \"1X\" is not a valid environment variable name (line 9, column 16)");
  EXPECT_EQ(error_of("name: a__b\npods: { node: { tasks: { t: { cmd: x, cpus: 1, memory: 1 } } } }\n"),
            "name: must not contain \"__\" (it stands for \"/\" in ZooKeeper paths) (line 1, column 7)");
}

TEST(ServiceSpecParser, DiscoveryPrefixMayBeAFolderedServiceName) {
  // Mesos-DNS drops the slashes: `_mqtt._prodmqtt-0._tcp.prodmqtt.mesos.`.
  auto spec = parse_service_spec(with_task(k_task + "        discovery: { prefix: /prod/mqtt }\n"));
  ASSERT_TRUE(spec) << spec.err().message;
  EXPECT_EQ(spec->pods[0].tasks[0].discovery->prefix, "/prod/mqtt");
  EXPECT_NE(error_of(with_task(k_task + "        discovery: { prefix: /Prod_X }\n")).find("is not a valid name"),
            std::string::npos);
  EXPECT_NE(error_of(with_task(k_task + "        discovery: { prefix: / }\n")).find("is not a valid name"),
            std::string::npos);
}

TEST(ServiceSpecParserErrors, PortsThatWouldCollide) {
  EXPECT_EQ(error_of(with_task(k_task + "        ports:\n"
                                        "          a: { port: 1883, env-key: P }\n"
                                        "          b: { port: 1883, env-key: P }\n")),
            "pods.node.tasks.broker.ports.b: port 1883 is also used by pods.node.tasks.broker.ports.a (line 11, column 11)\n"
            "pods.node.tasks.broker.ports.b: env-key \"P\" is used by another port of the same task (line 11, column 11)");
  EXPECT_EQ(error_of("name: x\npods:\n"
                     "  a: { tasks: { t: { cmd: x, cpus: 1, memory: 1, ports: { mqtt: { advertise: true } } } } }\n"
                     "  b: { tasks: { t: { cmd: x, cpus: 1, memory: 1, ports: { mqtt: { advertise: true } } } } }\n"),
            "pods.b.tasks.t.ports.mqtt: advertised port name is also advertised by pods.a.tasks.t.ports.mqtt "
            "(line 4, column 59)");
  EXPECT_EQ(error_of(with_task(k_task + "        ports:\n"
                                        "          mqtt: { vip: { port: 1883 } }\n"
                                        "          ws: { vip: { prefix: mqtt, port: 1883 } }\n")),
            "pods.node.tasks.broker.ports.ws.vip: VIP mqtt:1883 is also declared by pods.node.tasks.broker.ports.mqtt "
            "(line 11, column 17)\n"
            "pods.node.tasks.broker.ports.ws.vip.prefix: \"mqtt\" is the name of another port "
            "(pods.node.tasks.broker.ports.mqtt) (line 11, column 24)");
}

TEST(ServiceSpecParserErrors, PlansReferToPodsAndTasks) {
  const std::string pods = with_task(k_task);
  EXPECT_EQ(error_of(pods + "plans: { deploy: { phases: { p: { pod: nodes } } } }\n"),
            "plans.deploy.phases.p.pod: no pod type \"nodes\" in pods (line 9, column 40)");
  EXPECT_EQ(error_of(pods + "plans:\n  deploy:\n    phases:\n      p:\n        pod: node\n"
                            "        steps:\n          - default: [[broker, init]]\n"),
            "plans.deploy.phases.p.steps[0].default[0][1]: pod \"node\" has no task \"init\" (line 15, column 32)");
  EXPECT_EQ(error_of(pods + "plans:\n  deploy:\n    phases:\n      p:\n        pod: node\n"
                            "        steps:\n          - first: [[broker]]\n          - [broker]\n"),
            "plans.deploy.phases.p.steps[0]: expected a pod index or \"default\" as key, got \"first\" (line 15, column 13)\n"
            "plans.deploy.phases.p.steps[1]: expected one entry such as `default: [[task]]` or `0: [[task]]`, got a list "
            "(line 16, column 13)");
  EXPECT_EQ(error_of(pods + "plans: { deploy: {} }\n"),
            "plans.deploy: missing required key \"phases\" (line 9, column 18)");
}

TEST(ServiceSpecParserErrors, NullValuesAreLocatedAtTheirKey) {
  EXPECT_EQ(error_of("name: x\npods:\n  node:\n  other: { tasks: { t: { cmd: x, cpus: 1, memory: 1 } } }\n"),
            "pods.node: expected a map, got null (line 3, column 3)");
  EXPECT_EQ(error_of(with_task(k_task + "        ports:\n          mqtt:\n")),
            "pods.node.tasks.broker.ports.mqtt: expected a map, got null (line 10, column 11)");
}

TEST(ServiceSpecParserErrors, PodLevelFields) {
  const std::string tasks = "    tasks: { t: { cmd: x, cpus: 1, memory: 1, volume: { path: data, size: 1 } } }\n";
  EXPECT_EQ(error_of("name: x\npods:\n  node:\n"
                     "    rlimits: { RLIMIT_FILES: { soft: 1, hard: 1 }, RLIMIT_NOFILE: { soft: 9, hard: 1 } }\n" + tasks),
            "pods.node.rlimits.RLIMIT_FILES: unknown resource limit (expected RLIMIT_AS, RLIMIT_NOFILE, ...) "
            "(line 4, column 16)\n"
            "pods.node.rlimits.RLIMIT_NOFILE.soft: must not exceed hard (1) (line 4, column 75)");
  EXPECT_EQ(error_of("name: x\npods:\n  node:\n    networks: { dcos: { host-ports: [1, 2], container-ports: [1] } }\n" +
                     tasks),
            "pods.node.networks.dcos.container-ports: must list as many ports as host-ports (2) (line 4, column 62)");
  EXPECT_EQ(error_of("name: x\npods:\n  node:\n    secrets: { s: { secret: a/b } }\n" + tasks),
            "pods.node.secrets.s: set env-key, file or both (line 4, column 19)");
  EXPECT_EQ(error_of("name: x\npods:\n  node:\n    volume: { path: data, size: 5 }\n" + tasks),
            "pods.node.tasks.t.volume: path \"data\" is also used by a pod volume (line 5, column 47)");
  EXPECT_EQ(error_of(with_task(k_task + "        labels: \"a:b,c\"\n")),
            "pods.node.tasks.broker.labels: expected comma-separated key:value pairs, got \"a:b,c\" (line 9, column 17)");
}

TEST(ServiceSpecParserErrors, ReportsEveryProblemInOnePass) {
  auto r = parse_service_spec(
      "name: x\npods:\n"
      "  a: { count: many, tasks: { t: { cmd: x, cpus: 1, memory: 1 } } }\n"
      "  b: { tasks: { t: { cmd: x, cpus: none, memory: 1 } } }\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, static_cast<int>(spec_errc::invalid_spec));
  EXPECT_EQ(r.err().message,
            "pods.a.count: expected an integer from 0 to 2147483647, got \"many\" (line 3, column 15)\n"
            "pods.b.tasks.t.cpus: expected a number, got \"none\" (line 4, column 36)");
}

TEST(ServiceSpecParserErrors, YamlSyntaxAndShape) {
  auto r = parse_service_spec("name: x\npods: [a, b\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, static_cast<int>(spec_errc::yaml_syntax));
  EXPECT_EQ(r.err().message, "line 3, column 1: end of sequence flow not found");
  EXPECT_EQ(error_of(""), "(document): expected a map with name, pods and plans, got null");
  EXPECT_EQ(error_of("- a\n"), "(document): expected a map with name, pods and plans, got a list (line 1, column 1)");
  EXPECT_EQ(error_of("name: x\npods: [a]\n"), "pods: expected a map, got a list (line 2, column 7)");
}

}  // namespace
}  // namespace ternmq::scheduler::spec
