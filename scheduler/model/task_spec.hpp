// One task of a pod (svc.yml `pods.P.tasks.T`): what to run, with which resources, ports, volumes,
// config templates, environment and checks. A value type; `operator==` compares every field, so two
// specs are equal exactly when a pod running one needs no restart to run the other.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/model/check_spec.hpp"
#include "scheduler/model/port_spec.hpp"
#include "scheduler/model/volume_spec.hpp"

namespace ternmq::scheduler::model {

enum class task_goal {
  running,  // `RUNNING`: keep it running; an exit relaunches it
  finish,   // `FINISH`: must exit 0; run again when its config changes
  once,     // `ONCE`: must exit 0 once per pod lifetime
};

// "RUNNING" / "FINISH" / "ONCE", as in svc.yml.
std::string_view to_string(task_goal goal);
// Parses the svc.yml spellings (upper case); `nullopt` for anything else.
std::optional<task_goal> parse_task_goal(std::string_view text);

// A template the task's `bootstrap` renders with the task environment into `dest`.
struct config_spec {
  std::string name;
  std::string template_path;     // as written in svc.yml, relative to svc.yml's directory
  std::string dest;              // relative to the sandbox
  std::string template_content;  // empty until the caller loads it (see `load_config_templates`)
  friend bool operator==(const config_spec&, const config_spec&) = default;
};

// Mesos DiscoveryInfo overrides: DNS name `<prefix>-<index>` instead of the task name.
struct discovery_spec {
  std::string prefix;
  std::string visibility;  // FRAMEWORK, CLUSTER or EXTERNAL; empty: the Mesos default
  friend bool operator==(const discovery_spec&, const discovery_spec&) = default;
};

enum class encryption_type { tls, keystore };
std::string_view to_string(encryption_type type);

// A certificate DC/OS Enterprise provisions into the sandbox (`transport-encryption`).
struct transport_encryption_spec {
  std::string name;
  encryption_type type = encryption_type::tls;
  friend bool operator==(const transport_encryption_spec&, const transport_encryption_spec&) = default;
};

// A resource limit above the request; `unlimited` in svc.yml is +infinity here.
using resource_limit = std::optional<double>;

struct task_spec {
  std::string name;
  task_goal goal = task_goal::running;
  bool essential = true;  // false: a failure relaunches only this task, not the whole pod
  std::string cmd;

  // Own resources; all zero and empty when `resource_set` names a pod resource set instead.
  double cpus = 0;
  double gpus = 0;
  std::uint32_t memory_mb = 0;
  std::vector<port_spec> ports;
  std::vector<volume_spec> volumes;
  std::string resource_set;
  resource_limit cpus_limit;
  resource_limit memory_limit_mb;

  std::vector<config_spec> configs;
  std::map<std::string, std::string> env;
  std::map<std::string, std::string> labels;  // extra TaskInfo labels
  std::optional<health_check_spec> health_check;
  std::optional<readiness_check_spec> readiness_check;
  std::optional<discovery_spec> discovery;
  std::optional<std::chrono::seconds> kill_grace_period;
  std::vector<transport_encryption_spec> transport_encryption;

  const port_spec* find_port(std::string_view port_name) const;
  friend bool operator==(const task_spec&, const task_spec&) = default;
};

}  // namespace ternmq::scheduler::model
