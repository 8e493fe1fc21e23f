#include "scheduler/offer/evaluation_stages.hpp"

#include <charconv>
#include <cmath>

namespace ternmq::scheduler::offers {
namespace {

// Mesos keeps scalar resources in fixed point with three decimals, so 0.1 + 0.2 fits in 0.3.
long long thousandths(double value) { return std::llround(value * 1000.0); }

void check_scalar(std::string_view name, double need, double have, std::string& reason) {
  if (thousandths(need) <= thousandths(have)) return;
  if (!reason.empty()) reason += "; ";
  reason += "insufficient " + std::string(name) + ": need " + format_scalar(need) + ", offer has " + format_scalar(have);
}

}  // namespace

stage_outcome agent_stage(const pod_requirement& need, const backend::offer& offer, offer_match& /*match*/) {
  if (!need.agent_id || *need.agent_id == offer.agent_id) return {"agent", {}};
  return {"agent", "in-place relaunch of " + need.pod.name() + " needs agent " + *need.agent_id +
                       ", the offer is from " + offer.agent_id};
}

stage_outcome placement_stage(const pod_requirement& need, const backend::offer& offer, offer_match& /*match*/) {
  const auto s = check_placement(need.placement, offer, need.pod.name(), need.others);
  return {"placement", s ? std::string() : s.message()};
}

stage_outcome resource_stage(const pod_requirement& need, const backend::offer& offer, offer_match& /*match*/) {
  std::string reason;
  check_scalar("cpus", need.resources.cpus, offer.available.cpus, reason);
  check_scalar("mem", need.resources.memory_mb, offer.available.memory_mb, reason);
  check_scalar("disk", need.resources.disk_mb, offer.available.disk_mb, reason);
  return {"resources", reason};
}

stage_outcome port_stage(const pod_requirement& need, const backend::offer& offer, offer_match& match) {
  auto assigned = assign_ports(need.ports, need.reserved_ports, offer);
  if (assigned.ok()) match.ports = std::move(assigned.ports);
  return {"ports", std::move(assigned.reason)};
}

const std::vector<evaluation_stage>& default_stages() {
  static const std::vector<evaluation_stage> stages{agent_stage, placement_stage, resource_stage, port_stage};
  return stages;
}

std::string format_scalar(double value) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  std::string out(buf, ec == std::errc{} ? end : buf);
  if (out.find_first_of(".en") == std::string::npos) out += ".0";  // "1" -> "1.0"; leaves "1e+20", "inf", "nan"
  return out;
}

}  // namespace ternmq::scheduler::offers
