// The stages an offer goes through, after dcos-commons' OfferEvaluator pipeline: each looks at one
// aspect of the offer, passes or fails with a reason, and may fill in part of the match (the port
// stage records the ports it chose). The evaluator stops an offer at its first failing stage.
//
// Order: agent (cheapest, and decisive for an in-place relaunch), placement (as dcos-commons puts
// PlacementRuleEvaluationStage first: the reason users most need to see), resources, ports.
//
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scheduler/backend/offer.hpp"
#include "scheduler/offer/pod_requirement.hpp"

namespace ternmq::scheduler::offers {

struct stage_outcome {
  std::string_view stage;  // "agent", "placement", "resources", "ports"
  std::string reason;      // empty when the offer passed
  bool passed() const { return reason.empty(); }
};

using evaluation_stage = stage_outcome (*)(const pod_requirement& need, const backend::offer& offer,
                                           offer_match& match);

// Passes any offer when `need.agent_id` is unset, otherwise only offers from that agent:
// "in-place relaunch of node-0 needs agent a-1, the offer is from a-2".
stage_outcome agent_stage(const pod_requirement& need, const backend::offer& offer, offer_match& match);
// `check_placement` against `need.others`: "hostname UNIQUE: node-0 already runs on local-agent-0".
stage_outcome placement_stage(const pod_requirement& need, const backend::offer& offer, offer_match& match);
// cpus, mem and disk, compared to a thousandth as Mesos compares scalars; every shortfall is named:
// "insufficient cpus: need 1.0, offer has 0.5; insufficient mem: need 2048.0, offer has 1024.0".
stage_outcome resource_stage(const pod_requirement& need, const backend::offer& offer, offer_match& match);
// `assign_ports`; on success the ports go into `match.ports`.
stage_outcome port_stage(const pod_requirement& need, const backend::offer& offer, offer_match& match);

// The stages above, in order.
const std::vector<evaluation_stage>& default_stages();

// A scalar as Java prints a double, which is how dcos-commons' reasons show them: "1.0", "0.5".
std::string format_scalar(double value);

}  // namespace ternmq::scheduler::offers
