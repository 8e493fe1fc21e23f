// Names the scheduler derives from pod types and indices, as dcos-commons does: pod instance
// `<pod>-<index>` ("node-0") and task `<pod>-<index>-<task>` ("node-0-broker"). The task name is also
// the Mesos task name and the Mesos-DNS discovery name. Pure.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace ternmq::scheduler::model {

// One instance of a pod type. Ordered by type, then index.
struct pod_instance {
  std::string type;
  std::uint32_t index = 0;

  std::string name() const;  // "<type>-<index>"
  friend bool operator==(const pod_instance&, const pod_instance&) = default;
  friend std::strong_ordering operator<=>(const pod_instance&, const pod_instance&) = default;
};

std::string pod_instance_name(std::string_view pod_type, std::uint32_t index);
std::string task_name(std::string_view pod_type, std::uint32_t index, std::string_view task);
std::string task_name(const pod_instance& pod, std::string_view task);

}  // namespace ternmq::scheduler::model
