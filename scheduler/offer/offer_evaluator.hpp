// Choosing an offer for one launch of a pod instance, the way dcos-commons' OfferEvaluator does:
// each offer goes through the stages of evaluation_stages.hpp in order; the first offer that passes
// them all is taken. When none does, the outcome says, per offer, the first stage that failed and
// why, which is what the scheduler logs and shows in the plan (a step waiting for offers tells the
// operator what is missing):
//
//   node-3: no offer fits: o-1 (local-agent-0): placement: hostname UNIQUE: node-0 already runs on
//   local-agent-0; o-2 (local-agent-1): resources: insufficient cpus: need 1.0, offer has 0.5
//
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "scheduler/backend/offer.hpp"
#include "scheduler/offer/evaluation_stages.hpp"
#include "scheduler/offer/pod_requirement.hpp"

namespace ternmq::scheduler::offers {

// An offer that did not fit, with the first stage it failed.
struct offer_rejection {
  std::string offer_id;
  std::string agent_id;
  std::string hostname;
  std::string stage;   // "agent", "placement", "resources", "ports"
  std::string reason;  // "hostname UNIQUE: node-0 already runs on local-agent-0"

  // "o-1 (local-agent-0): placement: hostname UNIQUE: node-0 already runs on local-agent-0"
  std::string to_string() const;
  friend bool operator==(const offer_rejection&, const offer_rejection&) = default;
};

struct evaluation_outcome {
  std::string pod_instance;                // "node-3"
  std::optional<offer_match> match;        // the first offer that fits
  std::vector<offer_rejection> rejections; // offers before the match, or all of them without one

  bool matched() const { return match.has_value(); }
  // "node-3: offer o-2 on local-agent-1" or "node-3: no offer fits: <rejection>; <rejection>"
  // ("node-3: no offers" when there were none).
  std::string summary() const;
};

// Runs one offer through `stages`; the outcome of the first failing stage, or a passed outcome with
// `match` filled in.
stage_outcome evaluate_offer(const pod_requirement& need, const backend::offer& offer, offer_match& match,
                             const std::vector<evaluation_stage>& stages = default_stages());

// Evaluates `offers` in order and stops at the first that fits. Fails (`offer_errc::invalid_ports`)
// only when no offer ever could, because the requirement's ports cannot coexist
// ("node-0: ports mqtt and mqtt-alt both ask for 1883").
core::result<evaluation_outcome> evaluate_offers(const pod_requirement& need, const std::vector<backend::offer>& offers,
                                                 const std::vector<evaluation_stage>& stages = default_stages());

}  // namespace ternmq::scheduler::offers
