#include "scheduler/offer/placement.hpp"

#include <algorithm>
#include <optional>

namespace ternmq::scheduler::offers {
namespace {

std::optional<std::string> field_value(const placement_rule& rule, const std::string& hostname,
                                       const std::map<std::string, std::string>& attributes) {
  if (rule.reads_hostname()) return hostname;
  const auto it = attributes.find(rule.field);
  if (it == attributes.end()) return std::nullopt;
  return it->second;
}

// "local-agent-0" for a hostname, "rack rack-1" for an attribute: where an instance runs.
std::string place(const placement_rule& rule, const std::string& value) {
  return rule.reads_hostname() ? value : rule.field + " " + value;
}

// "node-0", "node-0 and node-2", "node-0, node-1 and node-2".
std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

// "node-0 already runs on", "node-0 and node-2 already run on".
std::string already_on(const std::vector<std::string>& names) {
  return join_names(names) + (names.size() == 1 ? " already runs on " : " already run on ");
}

// The other instances that have the rule's field, by value (names in the order given).
std::map<std::string, std::vector<std::string>> others_by_value(const placement_rule& rule,
                                                                std::string_view pod_instance,
                                                                const std::vector<placed_instance>& others) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& other : others) {
    if (other.pod_instance == pod_instance) continue;
    if (auto value = field_value(rule, other.hostname, other.attributes)) out[*value].push_back(other.pod_instance);
  }
  return out;
}

class rule_check {
 public:
  rule_check(const placement_rule& rule, std::string value, std::map<std::string, std::vector<std::string>> others)
      : rule_(rule), value_(std::move(value)), others_(std::move(others)) {}

  core::status run() const {
    switch (rule_.op) {
      case placement_operator::unique: return unique();
      case placement_operator::cluster: return cluster();
      case placement_operator::like:
      case placement_operator::unlike: return like();
      case placement_operator::is: return is();
      case placement_operator::max_per: return max_per();
      case placement_operator::group_by: return group_by();
    }
    return core::status::success();
  }

 private:
  core::status fail(const std::string& reason) const { return core::status::failure(rule_.to_string() + ": " + reason); }
  const std::vector<std::string>* here() const {
    const auto it = others_.find(value_);
    return it == others_.end() ? nullptr : &it->second;
  }
  std::string offer_field() const { return "the offer's " + rule_.field + " " + value_; }

  core::status unique() const {
    if (const auto* names = here()) return fail(already_on(*names) + place(rule_, value_));
    return core::status::success();
  }

  core::status cluster() const {
    if (!rule_.value.empty()) {
      if (value_ == rule_.value) return core::status::success();
      return fail(offer_field() + " is not " + rule_.value);
    }
    if (others_.empty() || here()) return core::status::success();
    const auto& [value, names] = *others_.begin();
    return fail(names.front() + " runs on " + place(rule_, value) + ", " + offer_field() + " differs");
  }

  core::status like() const {
    // Rules from `parse_placement` carry their compiled pattern; one built by hand may not.
    std::optional<std::regex> compiled;
    const std::regex* pattern = rule_.pattern ? rule_.pattern.get() : &compiled.emplace(rule_.value);
    const bool matches = std::regex_match(value_, *pattern);
    if (matches == (rule_.op == placement_operator::like)) return core::status::success();
    return fail(offer_field() + (matches ? " matches" : " does not match"));
  }

  core::status is() const {
    if (value_ == rule_.value) return core::status::success();
    return fail(offer_field() + " is not " + rule_.value);
  }

  core::status max_per() const {
    const auto* names = here();
    if (!names || names->size() < *rule_.count) return core::status::success();
    return fail(already_on(*names) + place(rule_, value_));
  }

  // Marathon's `checkGroupBy`: an unused value always passes; a used one only when at least `count`
  // values are in use and it is one of the least used.
  core::status group_by() const {
    const auto* names = here();
    if (!names) return core::status::success();
    const std::size_t minimum = rule_.count.value_or(0);
    if (others_.size() < minimum) {
      return fail(already_on(*names) + place(rule_, value_) + ", and only " +
                  std::to_string(others_.size()) + " of " + std::to_string(minimum) + " " + rule_.field +
                  " values are in use");
    }
    const auto least = std::min_element(others_.begin(), others_.end(),
                                        [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); });
    if (names->size() == least->second.size()) return core::status::success();
    return fail(place(rule_, value_) + " has " + std::to_string(names->size()) + " instances (" + join_names(*names) +
                "), " + place(rule_, least->first) + " has " + std::to_string(least->second.size()));
  }

  const placement_rule& rule_;
  std::string value_;  // the offer's
  std::map<std::string, std::vector<std::string>> others_;
};

}  // namespace

core::status check_placement_rule(const placement_rule& rule, const backend::offer& offer,
                                  std::string_view pod_instance, const std::vector<placed_instance>& others) {
  const auto value = field_value(rule, offer.hostname, offer.attributes);
  if (!value) {
    if (rule.op == placement_operator::unlike) return core::status::success();
    return core::status::failure(rule.to_string() + ": the offer has no attribute " + rule.field);
  }
  return rule_check(rule, *value, others_by_value(rule, pod_instance, others)).run();
}

core::status check_placement(const placement_rules& rules, const backend::offer& offer,
                             std::string_view pod_instance, const std::vector<placed_instance>& others) {
  for (const auto& rule : rules) {
    if (auto s = check_placement_rule(rule, offer, pod_instance, others); !s) return s;
  }
  return core::status::success();
}

}  // namespace ternmq::scheduler::offers
