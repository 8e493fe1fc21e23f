// Tests for parsing placement strings: the JSON list, a single rule, empty, Marathon's colon form, and
// an error per kind of mistake that names the rule.
#include "scheduler/offer/placement_rule.hpp"

#include <gtest/gtest.h>

#include "scheduler/offer/offer_errc.hpp"

namespace ternmq::scheduler::offers {
namespace {

placement_rules parse(std::string_view text) {
  auto r = parse_placement(text);
  if (!r) ADD_FAILURE() << r.err().message;
  return r ? *r : placement_rules{};
}

std::string error_of(std::string_view text) {
  auto r = parse_placement(text);
  if (r) return "(parsed)";
  EXPECT_EQ(r.err().code, static_cast<int>(offer_errc::invalid_placement));
  return r.err().message;
}

TEST(ParsePlacement, EmptyMeansNoRules) {
  EXPECT_TRUE(parse("").empty());
  EXPECT_TRUE(parse("  ").empty());
  EXPECT_TRUE(parse("[]").empty());
}

TEST(ParsePlacement, ListOfRules) {
  const auto rules = parse(R"([["hostname", "UNIQUE"], ["rack", "GROUP_BY", "3"], ["@zone", "LIKE", "us-east-1[ab]"]])");
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0], (placement_rule{"hostname", placement_operator::unique, "", std::nullopt, nullptr}));
  EXPECT_TRUE(rules[0].reads_hostname());
  EXPECT_EQ(rules[1], (placement_rule{"rack", placement_operator::group_by, "3", 3u, nullptr}));
  EXPECT_FALSE(rules[1].reads_hostname());
  EXPECT_EQ(rules[2].op, placement_operator::like);
  EXPECT_EQ(rules[2].field, "@zone");
  ASSERT_NE(rules[2].pattern, nullptr);
  EXPECT_EQ(rules[1].to_string(), "rack GROUP_BY 3");
  EXPECT_EQ(rules[0].to_string(), "hostname UNIQUE");
}

TEST(ParsePlacement, EveryOperator) {
  const auto rules = parse(R"([["a", "UNIQUE"], ["b", "CLUSTER", "x"], ["c", "CLUSTER"], ["d", "LIKE", "x.*"],
                               ["e", "UNLIKE", "y"], ["f", "GROUP_BY"], ["g", "MAX_PER", "2"], ["h", "IS", "v"]])");
  ASSERT_EQ(rules.size(), 8u);
  const std::vector<placement_operator> ops{placement_operator::unique,   placement_operator::cluster,
                                            placement_operator::cluster,  placement_operator::like,
                                            placement_operator::unlike,   placement_operator::group_by,
                                            placement_operator::max_per,  placement_operator::is};
  for (std::size_t i = 0; i < ops.size(); ++i) EXPECT_EQ(rules[i].op, ops[i]) << i;
  EXPECT_EQ(rules[5].count, std::nullopt);
  EXPECT_EQ(rules[6].count, 2u);
  EXPECT_EQ(to_string(placement_operator::max_per), "MAX_PER");
  EXPECT_EQ(parse_placement_operator("GROUP_BY"), placement_operator::group_by);
  EXPECT_EQ(parse_placement_operator("unique"), std::nullopt);
}

TEST(ParsePlacement, SingleRule) {
  const auto rules = parse(R"(["hostname", "UNIQUE"])");
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].to_string(), "hostname UNIQUE");
}

TEST(ParsePlacement, NumbersAreTakenAsWritten) {
  const auto rules = parse(R"([["rack", "MAX_PER", 2]])");
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].count, 2u);
}

TEST(ParsePlacement, ColonForm) {
  const auto rules = parse("hostname:UNIQUE, rack:GROUP_BY:3,host:LIKE:10.0.0.[0-9]:x");
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].to_string(), "hostname UNIQUE");
  EXPECT_EQ(rules[1].to_string(), "rack GROUP_BY 3");
  EXPECT_EQ(rules[2].value, "10.0.0.[0-9]:x");
}

TEST(ParsePlacement, ErrorsNameTheRuleAndTheProblem) {
  EXPECT_EQ(error_of(R"([["rack", "GROUP_BY", "x"]])"),
            R"(placement rule 1 ["rack", "GROUP_BY", "x"]: GROUP_BY takes a whole number of groups above 0, got "x")");
  EXPECT_EQ(error_of(R"([["hostname", "UNIQUE"], ["rack", "SPREAD"]])"),
            R"(placement rule 2 ["rack", "SPREAD"]: unknown operator "SPREAD" (expected UNIQUE, CLUSTER, LIKE, UNLIKE, GROUP_BY, MAX_PER or IS))");
  EXPECT_EQ(error_of(R"([["hostname"]])"),
            R"(placement rule 1 ["hostname"]: expected [field, operator] or [field, operator, value], got 1 element)");
  EXPECT_EQ(error_of(R"([["a", "IS", "b", "c"]])"),
            R"(placement rule 1 ["a", "IS", "b", "c"]: expected [field, operator] or [field, operator, value], got 4 elements)");
  EXPECT_EQ(error_of(R"([["hostname", "UNIQUE"], "rack"])"),
            R"(placement rule 2 "rack": expected a list [field, operator] or [field, operator, value])");
  EXPECT_EQ(error_of(R"([["hostname", "UNIQUE", "x"]])"),
            R"(placement rule 1 ["hostname", "UNIQUE", "x"]: UNIQUE takes no value, got "x")");
  EXPECT_EQ(error_of(R"([["rack", "MAX_PER"]])"), R"(placement rule 1 ["rack", "MAX_PER"]: MAX_PER needs a limit)");
  EXPECT_EQ(error_of(R"([["rack", "MAX_PER", "0"]])"),
            R"(placement rule 1 ["rack", "MAX_PER", "0"]: MAX_PER takes a whole number of instances above 0, got "0")");
  EXPECT_EQ(error_of(R"([["rack", "IS"]])"), R"(placement rule 1 ["rack", "IS"]: IS needs a value)");
  EXPECT_EQ(error_of(R"([["rack", "LIKE"]])"), R"(placement rule 1 ["rack", "LIKE"]: LIKE needs a regular expression)");
  EXPECT_EQ(error_of(R"([["", "UNIQUE"]])"), R"(placement rule 1 ["", "UNIQUE"]: the field is empty)");
  EXPECT_EQ(error_of("hostname"),
            R"(placement rule 1 "hostname": expected [field, operator] or [field, operator, value], got 1 element)");
  EXPECT_NE(error_of(R"([["rack", "LIKE", "("]])").find(R"(LIKE pattern "(" is not a valid regular expression)"),
            std::string::npos);
  EXPECT_EQ(error_of(R"({"hostname": "UNIQUE"})"), R"(placement must be a list of rules, got {"hostname":"UNIQUE"})");
  EXPECT_EQ(error_of(R"([["hostname", "UNIQUE"])").rfind("placement is not valid JSON: ", 0), 0u);
}

}  // namespace
}  // namespace ternmq::scheduler::offers
