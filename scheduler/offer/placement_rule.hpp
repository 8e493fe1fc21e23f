// Placement rules as written in svc.yml `placement:` (and the package option
// `node.placement_constraint`): Marathon constraints, which dcos-commons also accepts. The JSON form
// is a list of rules, each a list `[field, operator]` or `[field, operator, value]`:
//
//   [["hostname", "UNIQUE"], ["rack", "GROUP_BY", "3"], ["@zone", "LIKE", "us-east-1[ab]"]]
//
// A single rule (`["hostname", "UNIQUE"]`) is accepted for one rule, the empty string and `[]` mean no
// rules, and Marathon's older colon form (`hostname:UNIQUE,rack:GROUP_BY:3`) is read as well.
//
// `field` is `hostname` (or `@hostname`) for the offer's hostname; any other field names an offer
// attribute, exactly as written (`rack`, `@zone`). What each operator means is in placement.hpp.
//
// Pure; a parsed rule is an immutable value, safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"

namespace ternmq::scheduler::offers {

enum class placement_operator {
  unique,    // UNIQUE: no two instances share the field's value
  cluster,   // CLUSTER [value]: the field equals value (without one: the value the others have)
  like,      // LIKE regex: the field's whole value matches regex
  unlike,    // UNLIKE regex: the field's value does not match regex (or the field is absent)
  group_by,  // GROUP_BY [n]: spread instances evenly over the field's values (at least n of them)
  max_per,   // MAX_PER n: at most n instances per value of the field
  is,        // IS value: the field equals value
};

// "UNIQUE", "GROUP_BY", ... as written in Marathon constraints.
std::string_view to_string(placement_operator op);
// Parses the upper-case spellings; `nullopt` for anything else.
std::optional<placement_operator> parse_placement_operator(std::string_view text);

struct placement_rule {
  std::string field;
  placement_operator op = placement_operator::unique;
  std::string value;                   // as written; empty when the rule has none
  std::optional<std::uint32_t> count;  // GROUP_BY's minimum number of groups, MAX_PER's limit
  std::shared_ptr<const std::regex> pattern;  // LIKE and UNLIKE, compiled from `value`

  bool reads_hostname() const { return field == "hostname" || field == "@hostname"; }
  // "hostname UNIQUE", "rack GROUP_BY 3": how reasons name the rule.
  std::string to_string() const;
  // Compares what was written; the compiled pattern follows from `value`.
  friend bool operator==(const placement_rule& a, const placement_rule& b) {
    return a.field == b.field && a.op == b.op && a.value == b.value && a.count == b.count;
  }
};

using placement_rules = std::vector<placement_rule>;

// Parses a placement string. Errors (`offer_errc::invalid_placement`) name the rule by its position
// and text and say what is wrong with it, e.g.
//   `placement rule 2 ["rack", "GROUP_BY", "x"]: GROUP_BY takes a whole number of groups, got "x"`.
core::result<placement_rules> parse_placement(std::string_view text);

}  // namespace ternmq::scheduler::offers
