// A pod type (svc.yml `pods.P`): `count` instances of a group of tasks that run together on one
// agent and share its reservations, volumes and network. A value type.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/model/port_spec.hpp"
#include "scheduler/model/task_spec.hpp"
#include "scheduler/model/volume_spec.hpp"

namespace ternmq::scheduler::model {

// A virtual network the pod joins (`networks: NAME: {...}`); no host ports are reserved on it.
struct network_spec {
  std::string name;
  std::vector<std::uint16_t> host_ports;       // port mapping, pairwise with `container_ports`
  std::vector<std::uint16_t> container_ports;
  std::map<std::string, std::string> labels;
  friend bool operator==(const network_spec&, const network_spec&) = default;
};

// A process limit (`rlimits: RLIMIT_NOFILE: {soft, hard}`); both unset means unlimited.
struct rlimit_spec {
  std::string name;
  std::optional<std::int64_t> soft;
  std::optional<std::int64_t> hard;
  friend bool operator==(const rlimit_spec&, const rlimit_spec&) = default;
};

// A DC/OS secret exposed as an environment variable and/or a file (`secrets: NAME: {...}`).
struct secret_spec {
  std::string name;
  std::string secret;   // path in the secret store
  std::string env_key;  // empty: not exported
  std::string file;     // empty: not written
  friend bool operator==(const secret_spec&, const secret_spec&) = default;
};

// Resources several tasks of the pod share, one task at a time (`resource-sets: NAME: {...}`).
struct resource_set_spec {
  std::string name;
  double cpus = 0;
  double gpus = 0;
  std::uint32_t memory_mb = 0;
  std::vector<port_spec> ports;
  std::vector<volume_spec> volumes;
  friend bool operator==(const resource_set_spec&, const resource_set_spec&) = default;
};

struct pod_spec {
  std::string type;
  std::uint32_t count = 1;
  bool allow_decommission = false;  // true: `count` may shrink; the highest indices are removed
  std::string placement;            // Marathon-style constraints as written; empty: anywhere
  std::optional<std::string> image;  // Docker image run by the Mesos containerizer
  std::vector<std::string> uris;     // fetched into the sandbox of every task
  std::string user;                  // empty: the service's user
  std::string pre_reserved_role = "*";
  bool share_pid_namespace = false;
  std::vector<network_spec> networks;
  std::vector<rlimit_spec> rlimits;
  std::vector<secret_spec> secrets;
  std::vector<volume_spec> volumes;  // pod-level `volume` / `volumes`
  std::vector<host_volume_spec> host_volumes;
  std::vector<resource_set_spec> resource_sets;
  std::vector<task_spec> tasks;  // in svc.yml order

  const task_spec* find_task(std::string_view task_name) const;
  const resource_set_spec* find_resource_set(std::string_view set_name) const;
  friend bool operator==(const pod_spec&, const pod_spec&) = default;
};

}  // namespace ternmq::scheduler::model
