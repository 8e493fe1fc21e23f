// Where to launch a pod instance: the seam between the scheduler's step logic and the offer
// evaluation (scheduler/offer). In-place relaunches must land on their agent with their reserved
// ports; fresh launches take any offer that passes resources, ports and placement. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "scheduler/backend/offer.hpp"
#include "scheduler/model/service_spec.hpp"
#include "scheduler/state/task_record.hpp"

namespace ternmq::scheduler::runtime {

struct offer_choice_request {
  const model::pod_spec* pod = nullptr;
  std::uint32_t index = 0;
  std::vector<const model::task_spec*> tasks;   // what the step launches
  std::optional<std::string> required_agent;    // in place: the agent holding the pod's volume
  std::map<std::string, std::uint16_t> reserved_ports;  // in place: reuse exactly
  std::vector<state::task_record> others;       // placements of the pod type's other instances
};

struct offer_choice {
  backend::offer chosen;
  std::map<std::string, std::uint16_t> ports;  // every port of the launched tasks
};

// The first offer that fits, or an error listing why each offer was declined.
core::result<offer_choice> choose_offer(const offer_choice_request& request, const std::vector<backend::offer>& offers);

}  // namespace ternmq::scheduler::runtime
