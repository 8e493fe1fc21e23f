#include "scheduler/model/names.hpp"

namespace ternmq::scheduler::model {

std::string pod_instance::name() const { return pod_instance_name(type, index); }

std::string pod_instance_name(std::string_view pod_type, std::uint32_t index) {
  return std::string(pod_type) + "-" + std::to_string(index);
}

std::string task_name(std::string_view pod_type, std::uint32_t index, std::string_view task) {
  return pod_instance_name(pod_type, index) + "-" + std::string(task);
}

std::string task_name(const pod_instance& pod, std::string_view task) { return task_name(pod.type, pod.index, task); }

}  // namespace ternmq::scheduler::model
