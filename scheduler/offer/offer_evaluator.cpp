#include "scheduler/offer/offer_evaluator.hpp"

#include "scheduler/offer/offer_errc.hpp"

namespace ternmq::scheduler::offers {

std::string offer_rejection::to_string() const {
  return offer_id + " (" + (hostname.empty() ? agent_id : hostname) + "): " + stage + ": " + reason;
}

std::string evaluation_outcome::summary() const {
  if (match) return pod_instance + ": offer " + match->offer_id + " on " + match->hostname;
  if (rejections.empty()) return pod_instance + ": no offers";
  std::string out = pod_instance + ": no offer fits: ";
  for (std::size_t i = 0; i < rejections.size(); ++i) out += (i ? "; " : "") + rejections[i].to_string();
  return out;
}

stage_outcome evaluate_offer(const pod_requirement& need, const backend::offer& offer, offer_match& match,
                             const std::vector<evaluation_stage>& stages) {
  match = offer_match{offer.id, offer.agent_id, offer.hostname, offer.ip, {}};
  for (const auto stage : stages) {
    auto outcome = stage(need, offer, match);
    if (!outcome.passed()) return outcome;
  }
  return {"all", {}};
}

core::result<evaluation_outcome> evaluate_offers(const pod_requirement& need, const std::vector<backend::offer>& offers,
                                                 const std::vector<evaluation_stage>& stages) {
  if (const auto s = check_port_specs(need.ports); !s) {
    return make_error(offer_errc::invalid_ports, need.pod.name() + ": " + s.message());
  }
  evaluation_outcome out;
  out.pod_instance = need.pod.name();
  for (const auto& offer : offers) {
    offer_match match;
    auto outcome = evaluate_offer(need, offer, match, stages);
    if (outcome.passed()) {
      out.match = std::move(match);
      break;
    }
    out.rejections.push_back(
        {offer.id, offer.agent_id, offer.hostname, std::string(outcome.stage), std::move(outcome.reason)});
  }
  return out;
}

}  // namespace ternmq::scheduler::offers
