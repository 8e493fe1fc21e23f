// The whole service as svc.yml declares it, after rendering and validation: scheduler settings, pod
// types and plans. The target configuration the scheduler works towards; built once by
// `spec::parse_service_spec` and then shared read-only (`const&` or `shared_ptr<const>`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/model/plan_spec.hpp"
#include "scheduler/model/pod_spec.hpp"

namespace ternmq::scheduler::model {

struct service_spec {
  std::string name;  // framework name; may contain `/` for foldered services
  std::string web_url;
  std::string principal;  // `scheduler.principal`; defaults to `<escaped name>-principal`
  std::string role;       // `scheduler.role`; defaults to `<escaped name>-role`
  std::string user = "root";  // `scheduler.user`: the user tasks run as unless a pod sets its own
  std::string zookeeper = "master.mesos:2181";
  std::optional<std::uint16_t> api_port;
  std::vector<pod_spec> pods;    // in svc.yml order
  std::vector<plan_spec> plans;  // in svc.yml order

  const pod_spec* find_pod(std::string_view type) const;
  const plan_spec* find_plan(std::string_view plan_name) const;
  // The user the tasks of `pod` run as: the pod's own, else the service's.
  const std::string& user_of(const pod_spec& pod) const { return pod.user.empty() ? user : pod.user; }
  friend bool operator==(const service_spec&, const service_spec&) = default;
};

// The service name as ZooKeeper paths and default role/principal use it: without the leading `/`,
// other `/` replaced by `__` ("/prod/mqtt" -> "prod__mqtt").
std::string escaped_service_name(std::string_view name);

}  // namespace ternmq::scheduler::model
