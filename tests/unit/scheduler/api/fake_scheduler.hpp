// A `scheduler_operations` for the API and CLI tests made of real parts: a `state_store` over a
// `memory_kv_store` holding the configuration of a small three-broker svc.yml (parsed with the real
// spec parser), a `plan_manager` with the deploy plan the SDK would build for it and an empty
// recovery plan, and pod commands that record what they were asked and mark tasks as a scheduler
// would. Tests add task records and move plan steps themselves. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/kv/memory_kv_store.hpp"
#include "scheduler/api/scheduler_operations.hpp"
#include "scheduler/plan/pod_plan_builder.hpp"
#include "scheduler/state/state_store.hpp"

namespace ternmq::scheduler::api::test_support {

// Three brokers of service `ternmq` with discovery prefix `ternmq` (DNS names ternmq-<i>), ports
// mqtt (VIP mqtt:1883), websocket (VIP websocket:8080), cluster (advertised, no VIP) and http (not
// advertised), a volume, checks, a config template and a serial deploy plan.
inline constexpr std::string_view k_svc_yml = R"(name: ternmq
scheduler:
  principal: ternmq-principal
  user: nobody
pods:
  node:
    count: 3
    uris:
      - http://example.com/ternmq.tgz
    volume:
      path: ternmq-data
      type: ROOT
      size: 512
    tasks:
      broker:
        goal: RUNNING
        cmd: exec ./ternmq --config ternmq.conf
        cpus: 0.5
        memory: 256
        kill-grace-period: 30
        discovery:
          prefix: ternmq
        ports:
          mqtt:
            port: 0
            env-key: PORT_MQTT
            advertise: true
            vip:
              prefix: mqtt
              port: 1883
          websocket:
            port: 0
            env-key: PORT_WEBSOCKET
            advertise: true
            vip:
              prefix: websocket
              port: 8080
          cluster:
            port: 0
            env-key: PORT_CLUSTER
            advertise: true
          http:
            port: 0
            env-key: PORT_HTTP
        configs:
          ternmq:
            template: ternmq.conf.mustache
            dest: ternmq.conf
        env:
          LOG_CONSOLE_LEVEL: info
        readiness-check:
          cmd: ./ready
          interval: 5
          delay: 0
          timeout: 10
        health-check:
          cmd: ./healthy
          interval: 30
          grace-period: 60
          max-consecutive-failures: 3
          delay: 0
          timeout: 20
plans:
  deploy:
    strategy: serial
    phases:
      node:
        strategy: serial
        pod: node
        steps:
          - default: [[broker]]
)";

inline state::stored_configuration test_configuration(std::string_view svc_yml = k_svc_yml) {
  return state::stored_configuration{std::string(svc_yml), {{"TASKCFG_ALL_MAX_CLIENT_ID_SIZE", "100"}},
                                     {{"ternmq.conf.mustache", "listener.tcp.default = 0.0.0.0:{{PORT_MQTT}}\n"}}};
}

class fake_scheduler final : public scheduler_operations {
 public:
  explicit fake_scheduler(std::string config_id = "11111111-2222-3333-4444-555555555555")
      : config_id_(std::move(config_id)) {
    const state::stored_configuration config = test_configuration();
    check(store_.store_configuration(config_id_, config));
    check(store_.set_target_configuration_id(config_id_));
    auto spec = state::to_service_spec(config);
    if (!spec) throw std::runtime_error("test svc.yml: " + spec.err().message);
    spec_ = std::move(spec).value();
    const auto pods = plans::pod_instances("node", spec_.pods.at(0).count, {"broker"});
    deploy_ = &plans_.add(plans::build_pod_plan("deploy", "node", plans::strategy::serial, pods));
    recovery_ = &plans_.add(plans::plan("recovery", plans::strategy::serial, {}));
  }

  plans::plan_manager& plans() override { return plans_; }
  const state::state_store& store() const override { return store_; }
  const model::service_spec& target_spec() const override { return spec_; }
  const std::string& target_config_id() const override { return config_id_; }

  core::result<pod_command_result> restart_pod(std::string_view pod) override { return command(pod, false); }
  core::result<pod_command_result> replace_pod(std::string_view pod) override { return command(pod, true); }

  state::state_store& mutable_store() { return store_; }
  plans::plan& deploy() { return *deploy_; }
  plans::plan& recovery() { return *recovery_; }
  plans::step& deploy_step(std::size_t i) { return deploy_->phases()[0].steps()[i]; }

  // A running, ready, healthy broker of node-<index> on agent-<index> (IP 10.0.0.<index+1>), with
  // host ports 1025+ for mqtt, websocket, cluster and http.
  state::task_record running_broker(std::uint32_t index) const {
    state::task_record r;
    r.task_name = "node-" + std::to_string(index) + "-broker";
    r.task_id = r.task_name + "__" + std::to_string(1000 + index);
    r.pod_type = "node";
    r.pod_index = index;
    r.task = "broker";
    r.config_id = config_id_;
    r.agent_id = "agent-" + std::to_string(index);
    r.hostname = "agent-" + std::to_string(index) + ".example";
    r.ip = "10.0.0." + std::to_string(index + 1);
    const auto base = static_cast<std::uint16_t>(1025 + 10 * index);
    r.ports = {{"mqtt", base}, {"websocket", static_cast<std::uint16_t>(base + 1)},
               {"cluster", static_cast<std::uint16_t>(base + 2)}, {"http", static_cast<std::uint16_t>(base + 3)}};
    r.volume_id = "volume-" + std::to_string(index);
    r.state = state::task_state::running;
    r.message = "running";
    r.ready = true;
    r.healthy = true;
    return r;
  }

  void add_task(const state::task_record& record) { check(store_.store_task(record)); }

  std::vector<std::string> restarted;
  std::vector<std::string> replaced;
  std::string refusal;  // non-empty: the next pod command is refused with this reason

 private:
  static void check(const core::status& s) {
    if (!s.ok()) throw std::runtime_error(s.message());
  }

  core::result<pod_command_result> command(std::string_view pod, bool replace) {
    pod_command_result out{std::string(pod), {}};
    std::vector<state::task_record> tasks;
    for (state::task_record& t : store_.tasks()) {
      if (t.pod_type + "-" + std::to_string(t.pod_index) == pod) tasks.push_back(t);
    }
    if (tasks.empty()) return core::error{static_cast<int>(pod_command_errc::unknown_pod), "no such pod"};
    if (!refusal.empty()) return core::error{static_cast<int>(pod_command_errc::refused), std::exchange(refusal, {})};
    for (state::task_record& t : tasks) {
      out.tasks.push_back(t.task_name);
      t.permanently_failed = t.permanently_failed || replace;
      check(store_.store_task(t));
    }
    (replace ? replaced : restarted).push_back(out.pod);
    return out;
  }

  std::string config_id_;
  core::kv::memory_kv_store kv_;
  state::state_store store_{kv_};
  plans::plan_manager plans_;
  model::service_spec spec_;
  plans::plan* deploy_ = nullptr;
  plans::plan* recovery_ = nullptr;
};

}  // namespace ternmq::scheduler::api::test_support
