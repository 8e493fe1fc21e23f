#include "scheduler/runtime/service_scheduler.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "core/kv/memory_kv_store.hpp"
#include "scheduler/spec/service_spec_parser.hpp"
#include "tests/unit/scheduler/runtime/fake_backend.hpp"

namespace ternmq::scheduler::runtime {
namespace {

using testing::fake_backend;

std::string svc_yml(int count, const std::string& level = "info", int disk = 100) {
  return "name: mqtt\n"
         "pods:\n"
         "  node:\n"
         "    count: " + std::to_string(count) + "\n"
         "    placement: '[[\"hostname\", \"UNIQUE\"]]'\n"
         "    volume: {path: data, type: ROOT, size: " + std::to_string(disk) + "}\n"
         "    tasks:\n"
         "      broker:\n"
         "        goal: RUNNING\n"
         "        cmd: ./ternmq --config ternmq.conf\n"
         "        cpus: 1\n"
         "        memory: 256\n"
         "        env: {LEVEL: " + level + "}\n"
         "        ports:\n"
         "          mqtt: {port: 0, env-key: PORT_MQTT, advertise: true, vip: {prefix: mqtt, port: 1883}}\n"
         "        configs:\n"
         "          conf: {template: conf.mustache, dest: ternmq.conf}\n"
         "        readiness-check: {cmd: 'true', interval: 1, delay: 0, timeout: 5}\n"
         "plans:\n"
         "  deploy:\n"
         "    strategy: serial\n"
         "    phases:\n"
         "      node: {strategy: serial, pod: node, steps: [{default: [[broker]]}]}\n"
         "  update:\n"
         "    strategy: serial\n"
         "    phases:\n"
         "      rolling-update: {strategy: serial, pod: node, steps: [{default: [[broker]]}]}\n";
}

state::stored_configuration config_of(const std::string& yml) {
  return {yml, {}, {{"conf.mustache", "listener.tcp.mqtt = 127.0.0.1:{{PORT_MQTT}}\nlevel = {{LEVEL}}\n"}}};
}

class ServiceSchedulerTest : public ::testing::Test {
 protected:
  configuration_outcome apply(const std::string& yml) {
    auto config = config_of(yml);
    auto spec = state::to_service_spec(config);
    EXPECT_TRUE(spec) << spec.err().message;
    auto outcome = scheduler.apply_configuration(config, std::move(spec).value());
    EXPECT_TRUE(outcome) << outcome.err().message;
    return outcome.value();
  }
  std::string step_status(const std::string& plan, int index) {
    const plans::plan* p = scheduler.plans().find(plan);
    return std::string(plans::to_string(p->phases()[0].steps()[static_cast<std::size_t>(index)].status()));
  }
  const std::string& last_task_id() { return backend.launches.back().task_id; }
  // Launches the current step's task and makes it ready, one pod at a time.
  void bring_up_next() {
    scheduler.tick();
    backend.running(last_task_id(), true);
    scheduler.tick();
  }
  int ready_count() {
    int n = 0;
    for (const auto& r : store.tasks()) n += (r.state == state::task_state::running && r.ready) ? 1 : 0;
    return n;
  }

  core::kv::memory_kv_store kv;
  state::state_store store{kv};
  fake_backend backend;
  service_scheduler scheduler{store, backend, {}};
};

TEST_F(ServiceSchedulerTest, DeploysOnePodAtATimeGatedOnReadiness) {
  EXPECT_EQ(apply(svc_yml(3)).what, configuration_outcome::kind::first);
  scheduler.tick();
  ASSERT_EQ(backend.launches.size(), 1u);
  EXPECT_EQ(backend.launches[0].task_name, "node-0-broker");
  EXPECT_EQ(step_status("deploy", 0), "STARTING");

  backend.running(last_task_id(), false);
  scheduler.tick();
  EXPECT_EQ(step_status("deploy", 0), "STARTED");
  EXPECT_EQ(backend.launches.size(), 1u) << "node-1 must wait for node-0's readiness";

  backend.running(last_task_id(), true);
  scheduler.tick();
  EXPECT_EQ(step_status("deploy", 0), "COMPLETE");
  ASSERT_EQ(backend.launches.size(), 2u);
  EXPECT_EQ(backend.launches[1].task_name, "node-1-broker");
  bring_up_next();
  backend.running(last_task_id(), true);
  scheduler.tick();
  EXPECT_TRUE(scheduler.plans().find("deploy")->is_complete());
  EXPECT_EQ(store.property("last-completed-update-type"), "DEPLOY");

  // hostname UNIQUE: one pod per agent.
  std::set<std::string> agents;
  for (const auto& [id, agent] : backend.launched_on) agents.insert(agent);
  EXPECT_EQ(agents.size(), 3u);
}

TEST_F(ServiceSchedulerTest, LaunchCarriesTheTaskEnvironmentAndRenderedConfig) {
  apply(svc_yml(1, "debug"));
  scheduler.tick();
  ASSERT_EQ(backend.launches.size(), 1u);
  const auto& request = backend.launches[0];
  EXPECT_EQ(request.env.at("TASK_NAME"), "node-0-broker");
  EXPECT_EQ(request.env.at("node-0-broker"), "true");
  EXPECT_EQ(request.env.at("POD_INSTANCE_INDEX"), "0");
  EXPECT_EQ(request.env.at("FRAMEWORK_NAME"), "mqtt");
  EXPECT_EQ(request.env.at("FRAMEWORK_HOST"), "mqtt.autoip.dcos.thisdcos.directory");
  const std::string port = request.env.at("PORT_MQTT");
  EXPECT_EQ(std::to_string(request.ports.at("mqtt")), port);
  ASSERT_EQ(request.files.size(), 1u);
  EXPECT_EQ(request.files[0].path, "ternmq.conf");
  EXPECT_EQ(request.files[0].content, "listener.tcp.mqtt = 127.0.0.1:" + port + "\nlevel = debug\n");
  ASSERT_EQ(request.volumes.size(), 1u);
  EXPECT_EQ(request.volumes[0].container_path, "data");
  EXPECT_TRUE(request.readiness_check.has_value());
}

TEST_F(ServiceSchedulerTest, ConfigChangeRollsEveryPodSeriallyKeepingTheOthersReady) {
  apply(svc_yml(3));
  for (int i = 0; i < 3; ++i) bring_up_next();
  ASSERT_TRUE(scheduler.plans().find("deploy")->is_complete());
  const auto first_ports = store.task("node-0-broker")->ports;

  auto outcome = apply(svc_yml(3, "debug"));
  EXPECT_EQ(outcome.what, configuration_outcome::kind::accepted);
  EXPECT_EQ(outcome.pods_to_roll, (std::vector<std::string>{"node-0", "node-1", "node-2"}));
  EXPECT_EQ(scheduler.plans().find("deploy")->phases()[0].name(), "rolling-update") << "update served as deploy";

  for (int pod = 0; pod < 3; ++pod) {
    scheduler.tick();  // kills the pod's old task
    EXPECT_EQ(backend.kills.size(), static_cast<std::size_t>(pod + 1));
    scheduler.tick();  // the kill is reported; relaunch in place
    const auto& request = backend.launches.back();
    EXPECT_EQ(request.task_name, "node-" + std::to_string(pod) + "-broker");
    EXPECT_EQ(request.env.at("LEVEL"), "debug");
    EXPECT_EQ(ready_count(), 2) << "one node at a time";
    backend.running(request.task_id, true);
    scheduler.tick();
    EXPECT_EQ(ready_count(), 3);
  }
  EXPECT_TRUE(scheduler.plans().find("deploy")->is_complete());
  EXPECT_EQ(store.task("node-0-broker")->ports, first_ports) << "in-place relaunch keeps reserved ports";
  EXPECT_EQ(backend.kills.size(), 3u);
}

TEST_F(ServiceSchedulerTest, GrowingTheCountLaunchesOnlyTheNewPod) {
  apply(svc_yml(2));
  bring_up_next();
  bring_up_next();
  auto outcome = apply(svc_yml(3));
  EXPECT_EQ(outcome.what, configuration_outcome::kind::accepted);
  EXPECT_EQ(outcome.pods_to_roll, std::vector<std::string>{"node-2"});
  scheduler.tick();
  EXPECT_EQ(backend.kills.size(), 0u);
  EXPECT_EQ(backend.launches.back().task_name, "node-2-broker");
}

TEST_F(ServiceSchedulerTest, IllegalChangesAreRefusedWithReasonsAndTheOldTargetStays) {
  auto first = apply(svc_yml(3));
  for (int i = 0; i < 3; ++i) bring_up_next();
  auto shrink = apply(svc_yml(2, "info", 200));
  EXPECT_EQ(shrink.what, configuration_outcome::kind::refused);
  EXPECT_EQ(shrink.target_id, first.target_id);
  ASSERT_EQ(shrink.errors.size(), 2u);
  const plans::plan* deploy = scheduler.plans().find("deploy");
  EXPECT_EQ(deploy->status(), plans::status::error);
  auto errors = deploy->errors();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("pods.node.count"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("volume"), std::string::npos) << errors[1];
  scheduler.tick();
  EXPECT_EQ(backend.kills.size(), 0u) << "nothing is touched";
  EXPECT_EQ(store.target_configuration_id(), first.target_id);
}

TEST_F(ServiceSchedulerTest, AFailedTaskIsRelaunchedInPlaceByRecovery) {
  apply(svc_yml(2));
  bring_up_next();
  bring_up_next();
  const auto before = *store.task("node-1-broker");
  backend.fail(before.task_id);
  scheduler.tick();  // the failure is seen; recovery planned
  scheduler.tick();
  const plans::plan* recovery = scheduler.plans().find("recovery");
  ASSERT_NE(recovery, nullptr);
  ASSERT_EQ(recovery->phases().size(), 1u);
  EXPECT_EQ(recovery->phases()[0].name(), "node-1");
  // The default backoff holds the relaunch for a second after a failure.
  EXPECT_EQ(step_status("recovery", 0), "DELAYED");
  EXPECT_EQ(backend.launches.size(), 2u);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the backoff's real clock
  scheduler.tick();
  EXPECT_EQ(backend.launches.size(), 3u) << "relaunched once the delay is over";
  EXPECT_EQ(step_status("recovery", 0), "STARTING");
}

// One node deployed and ready, with no launch backoff so that relaunches happen at the next tick.
class OneNodeDeployed : public ::testing::Test {
 protected:
  void SetUp() override {
    auto config = config_of(svc_yml(1));
    ASSERT_TRUE(scheduler.apply_configuration(config, *state::to_service_spec(config)));
    scheduler.tick();
    backend.running(backend.launches.back().task_id, true);
    scheduler.tick();
  }
  static scheduler_settings no_backoff() {
    scheduler_settings settings;
    settings.backoff.initial = std::chrono::milliseconds(0);
    return settings;
  }

  core::kv::memory_kv_store kv;
  state::state_store store{kv};
  fake_backend backend;
  service_scheduler scheduler{store, backend, no_backoff()};
};

TEST_F(OneNodeDeployed, AFailureRelaunchesInPlaceWithTheSameAgentPortsAndVolume) {
  const auto before = *store.task("node-0-broker");
  backend.fail(before.task_id);
  scheduler.tick();
  scheduler.tick();
  ASSERT_EQ(backend.launches.size(), 2u);
  const auto& again = backend.launches.back();
  EXPECT_NE(again.task_id, before.task_id);
  EXPECT_EQ(backend.launched_on.at(again.task_id), before.agent_id);
  EXPECT_EQ(again.ports, before.ports);
  EXPECT_EQ(again.volumes.at(0).id, backend.launches.front().volumes.at(0).id);
  backend.running(again.task_id, true);
  scheduler.tick();
  EXPECT_TRUE(scheduler.plans().find("recovery")->is_complete());
}

TEST_F(OneNodeDeployed, ReplaceStartsFromScratchAndDestroysTheOldVolume) {
  const auto before = *store.task("node-0-broker");

  auto replaced = scheduler.replace_pod("node-0");
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->tasks, std::vector<std::string>{"node-0-broker"});
  EXPECT_FALSE(scheduler.replace_pod("node-7"));
  scheduler.tick();
  scheduler.tick();
  ASSERT_EQ(backend.launches.size(), 2u);
  EXPECT_NE(backend.launches.back().volumes.at(0).id, backend.launches.front().volumes.at(0).id);
  ASSERT_EQ(backend.destroyed_volumes.size(), 1u);
  EXPECT_EQ(backend.destroyed_volumes[0], before.agent_id + "/" + before.volume_id);
  EXPECT_FALSE(store.task("node-0-broker")->permanently_failed);
}

TEST_F(OneNodeDeployed, ReplaceWhileARecoveryIsStartingStartsItOver) {
  ASSERT_TRUE(scheduler.restart_pod("node-0"));
  scheduler.tick();
  scheduler.tick();
  ASSERT_EQ(backend.launches.size(), 2u);
  backend.running(backend.launches.back().task_id, false);  // running, not ready yet
  scheduler.tick();
  ASSERT_TRUE(scheduler.replace_pod("node-0"));
  scheduler.tick();
  scheduler.tick();
  ASSERT_EQ(backend.launches.size(), 3u) << "the replace relaunches from scratch";
  EXPECT_NE(backend.launches[2].volumes.at(0).id, backend.launches[1].volumes.at(0).id);
  backend.running(backend.launches.back().task_id, true);
  scheduler.tick();
  EXPECT_TRUE(scheduler.plans().find("recovery")->is_complete());
}

TEST(ServiceSchedulerRestart, ReattachesToRunningTasksWithoutRelaunching) {
  core::kv::memory_kv_store kv;
  state::state_store store{kv};
  fake_backend backend;
  auto config = config_of(svc_yml(2));
  {
    service_scheduler first{store, backend, {}};
    ASSERT_TRUE(first.apply_configuration(config, *state::to_service_spec(config)));
    for (int i = 0; i < 2; ++i) {
      first.tick();
      backend.running(backend.launches.back().task_id, true);
      first.tick();
    }
  }
  for (const auto& r : store.tasks()) {
    backend.reconciled.push_back({r.task_id, r.task_name, state::task_state::running, "", true, std::nullopt, r.agent_id, r.ip});
  }
  service_scheduler second{store, backend, {}};
  auto outcome = second.apply_configuration(config, *state::to_service_spec(config));
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->what, configuration_outcome::kind::unchanged);
  second.reconcile();
  second.tick();
  second.tick();
  EXPECT_EQ(backend.launches.size(), 2u);
  EXPECT_TRUE(second.plans().find("deploy")->is_complete());
}

TEST(ServiceSchedulerRestart, TasksNoRecordNamesAreKilled) {
  core::kv::memory_kv_store kv;
  state::state_store store{kv};
  fake_backend backend;
  auto config = config_of(svc_yml(1));
  backend.reconciled.push_back({"node-0-broker__orphan", "node-0-broker", state::task_state::running, "", true,
                                std::nullopt, "agent-0", "127.0.0.1"});
  service_scheduler scheduler{store, backend, {}};
  ASSERT_TRUE(scheduler.apply_configuration(config, *state::to_service_spec(config)));
  scheduler.reconcile();
  EXPECT_EQ(backend.kills, std::vector<std::string>{"node-0-broker__orphan"});
}

TEST(ServiceSchedulerRestart, TasksTheBackendLostAreRelaunched) {
  core::kv::memory_kv_store kv;
  state::state_store store{kv};
  fake_backend backend;
  scheduler_settings settings;
  settings.backoff.initial = std::chrono::milliseconds(0);
  auto config = config_of(svc_yml(1));
  {
    service_scheduler first{store, backend, settings};
    ASSERT_TRUE(first.apply_configuration(config, *state::to_service_spec(config)));
    first.tick();
    backend.running(backend.launches.back().task_id, true);
    first.tick();
  }
  backend.live.clear();  // the backend came back without the task
  service_scheduler second{store, backend, settings};
  ASSERT_TRUE(second.apply_configuration(config, *state::to_service_spec(config)));
  second.reconcile();
  EXPECT_EQ(store.task("node-0-broker")->state, state::task_state::lost);
  second.tick();
  second.tick();
  EXPECT_EQ(backend.launches.size(), 2u);
}

}  // namespace
}  // namespace ternmq::scheduler::runtime
