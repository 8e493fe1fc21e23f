#include "scheduler/offer/placement_rule.hpp"

#include <array>
#include <charconv>
#include <utility>

#include <nlohmann/json.hpp>

#include "scheduler/offer/offer_errc.hpp"

namespace ternmq::scheduler::offers {
namespace {

constexpr std::array<std::pair<placement_operator, std::string_view>, 7> k_operators{{
    {placement_operator::unique, "UNIQUE"},
    {placement_operator::cluster, "CLUSTER"},
    {placement_operator::like, "LIKE"},
    {placement_operator::unlike, "UNLIKE"},
    {placement_operator::group_by, "GROUP_BY"},
    {placement_operator::max_per, "MAX_PER"},
    {placement_operator::is, "IS"},
}};

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::string json_quoted(std::string_view s) { return nlohmann::json(std::string(s)).dump(); }

std::optional<std::uint32_t> parse_count(std::string_view text) {
  std::uint32_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n == 0) return std::nullopt;
  return n;
}

// The parts of one rule, before their meaning is checked. `text` names the rule in errors.
struct raw_rule {
  std::string text;
  std::vector<std::string> parts;
  bool is_list = true;  // false for a JSON rule that is not a list
};

// Checks the parts of one rule and builds it; the error says what is wrong without naming the
// rule, which the caller does.
core::result<placement_rule> build_rule(const raw_rule& raw) {
  const auto fail = [](std::string reason) { return make_error(offer_errc::invalid_placement, std::move(reason)); };
  if (!raw.is_list) return fail("expected a list [field, operator] or [field, operator, value]");
  if (raw.parts.size() < 2 || raw.parts.size() > 3) {
    return fail("expected [field, operator] or [field, operator, value], got " + std::to_string(raw.parts.size()) +
                " element" + (raw.parts.size() == 1 ? "" : "s"));
  }
  placement_rule rule;
  rule.field = raw.parts[0];
  if (rule.field.empty()) return fail("the field is empty");
  const auto op = parse_placement_operator(raw.parts[1]);
  if (!op) {
    return fail("unknown operator " + json_quoted(raw.parts[1]) +
                " (expected UNIQUE, CLUSTER, LIKE, UNLIKE, GROUP_BY, MAX_PER or IS)");
  }
  rule.op = *op;
  const bool has_value = raw.parts.size() == 3;
  if (has_value) rule.value = raw.parts[2];
  const std::string name(to_string(rule.op));
  switch (rule.op) {
    case placement_operator::unique:
      if (has_value) return fail("UNIQUE takes no value, got " + json_quoted(rule.value));
      break;
    case placement_operator::cluster:
      break;
    case placement_operator::is:
      if (!has_value) return fail("IS needs a value");
      break;
    case placement_operator::like:
    case placement_operator::unlike:
      if (!has_value) return fail(name + " needs a regular expression");
      try {
        rule.pattern = std::make_shared<const std::regex>(rule.value, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        return fail(name + " pattern " + json_quoted(rule.value) + " is not a valid regular expression: " + e.what());
      }
      break;
    case placement_operator::group_by:
    case placement_operator::max_per: {
      if (!has_value) {
        if (rule.op == placement_operator::max_per) return fail("MAX_PER needs a limit");
        break;
      }
      rule.count = parse_count(rule.value);
      if (!rule.count) {
        return fail(name + " takes a whole number of " +
                    (rule.op == placement_operator::group_by ? "groups" : "instances") + " above 0, got " +
                    json_quoted(rule.value));
      }
      break;
    }
  }
  return rule;
}

// The JSON form: a list of rules, or one rule.
core::result<std::vector<raw_rule>> split_json(std::string_view text) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return make_error(offer_errc::invalid_placement, std::string("placement is not valid JSON: ") + e.what());
  }
  if (!doc.is_array()) {
    return make_error(offer_errc::invalid_placement, "placement must be a list of rules, got " + doc.dump());
  }
  const bool single_rule = !doc.empty() && !doc.front().is_array();
  const nlohmann::json rules = single_rule ? nlohmann::json::array({doc}) : doc;
  std::vector<raw_rule> out;
  for (const auto& rule : rules) {
    raw_rule raw;
    if (!rule.is_array()) {
      raw.text = rule.dump();
      raw.is_list = false;
      out.push_back(std::move(raw));
      continue;
    }
    for (const auto& part : rule) {
      raw.text += (raw.text.empty() ? "[" : ", ") + part.dump();
      // Numbers are taken as written, for `["rack", "GROUP_BY", 3]`.
      raw.parts.push_back(part.is_string() ? part.get<std::string>() : part.dump());
    }
    raw.text += raw.text.empty() ? "[]" : "]";
    out.push_back(std::move(raw));
  }
  return out;
}

// Marathon's colon form: rules separated by commas, parts by colons (the value keeps any further
// colons).
std::vector<raw_rule> split_colon_form(std::string_view text) {
  std::vector<raw_rule> out;
  while (true) {
    const auto comma = text.find(',');
    const std::string_view item = trim(text.substr(0, comma));
    raw_rule raw{json_quoted(item), {}};
    std::string_view rest = item;
    for (int i = 0; i < 2; ++i) {
      const auto colon = rest.find(':');
      raw.parts.emplace_back(trim(rest.substr(0, colon)));
      if (colon == std::string_view::npos) {
        rest = {};
        break;
      }
      rest = rest.substr(colon + 1);
      if (i == 1) raw.parts.emplace_back(trim(rest));
    }
    out.push_back(std::move(raw));
    if (comma == std::string_view::npos) break;
    text = text.substr(comma + 1);
  }
  return out;
}

}  // namespace

std::string_view to_string(placement_operator op) {
  for (const auto& [o, name] : k_operators) {
    if (o == op) return name;
  }
  return "UNKNOWN";
}

std::optional<placement_operator> parse_placement_operator(std::string_view text) {
  for (const auto& [o, name] : k_operators) {
    if (name == text) return o;
  }
  return std::nullopt;
}

std::string placement_rule::to_string() const {
  std::string out = field + " " + std::string(offers::to_string(op));
  if (!value.empty()) out += " " + value;
  return out;
}

core::result<placement_rules> parse_placement(std::string_view text) {
  text = trim(text);
  if (text.empty()) return placement_rules{};
  std::vector<raw_rule> raw;
  // Anything that starts like JSON is read as JSON, so a malformed list is reported as such.
  if (text.front() == '[' || text.front() == '{' || text.front() == '"') {
    auto split = split_json(text);
    if (!split) return split.err();
    raw = std::move(split).value();
  } else {
    raw = split_colon_form(text);
  }
  placement_rules rules;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    auto rule = build_rule(raw[i]);
    if (!rule) {
      return make_error(offer_errc::invalid_placement,
                        "placement rule " + std::to_string(i + 1) + " " + raw[i].text + ": " + rule.err().message);
    }
    rules.push_back(std::move(rule).value());
  }
  return rules;
}

}  // namespace ternmq::scheduler::offers
