// Tests for the draft-04 subset: every keyword's error with its JSON Pointer, several errors at once,
// and a type error hiding the value's other checks.
#include "scheduler/cosmos/schema_validation.hpp"

#include <gtest/gtest.h>

namespace ternmq::scheduler::cosmos {
namespace {

using nlohmann::json;

std::vector<std::string> errors(const json& schema, const json& value) {
  std::vector<std::string> out;
  for (const auto& e : validate_against_schema(schema, value)) out.push_back(e.to_string());
  return out;
}

using strings = std::vector<std::string>;

const json k_schema = json::parse(R"({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "node": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "count": {"type": "integer", "minimum": 1, "maximum": 100},
        "cpus": {"type": "number", "minimum": 0.1, "exclusiveMaximum": true, "maximum": 256},
        "disk_type": {"type": "string", "enum": ["ROOT", "MOUNT"]},
        "placement": {"type": "string", "minLength": 2, "maxLength": 8, "pattern": "^\\[.*\\]$"}
      },
      "required": ["count"]
    },
    "flag": {"type": "boolean"},
    "list": {"type": "array", "items": {"type": "integer", "minimum": 0}},
    "pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
    "either": {"type": ["string", "null"]},
    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
    "open": {"type": "object"}
  }
})");

TEST(SchemaValidation, ValidDocument) {
  EXPECT_EQ(errors(k_schema, json::parse(R"({"node": {"count": 3, "cpus": 0.5, "disk_type": "ROOT", "placement": "[]"},
      "flag": true, "list": [0, 1], "pair": ["a", 1], "either": null, "labels": {"a": "b"}, "open": {"x": 1}})")),
            strings{});
}

TEST(SchemaValidation, Types) {
  EXPECT_EQ(errors(k_schema, json::parse(R"({"node": {"count": "3"}})")),
            strings{R"(/node/count: expected integer, got string "3")"});
  EXPECT_EQ(errors(k_schema, json::parse(R"({"node": {"count": 1.5}})")),
            strings{"/node/count: expected integer, got number 1.5"});
  EXPECT_EQ(errors(k_schema, json::parse(R"({"node": {"count": 2.0}})")),
            strings{"/node/count: expected integer, got number 2.0"});  // draft-04: 2.0 is not an integer
  EXPECT_EQ(errors(k_schema, json::parse(R"({"node": {"count": 1, "cpus": 2}})")), strings{});  // an integer is a number
  EXPECT_EQ(errors(k_schema, json::parse(R"({"flag": "true"})")), strings{R"(/flag: expected boolean, got string "true")"});
  EXPECT_EQ(errors(k_schema, json::parse(R"({"node": 3})")), strings{"/node: expected object, got integer 3"});
  EXPECT_EQ(errors(k_schema, json::parse(R"({"list": {}})")), strings{"/list: expected array, got object {}"});
  EXPECT_EQ(errors(k_schema, json::parse(R"({"either": 1})")), strings{"/either: expected string or null, got integer 1"});
  EXPECT_EQ(errors(k_schema, json::parse(R"([1])")), strings{"/: expected object, got array [1]"});
}

TEST(SchemaValidation, ATypeErrorHidesTheOtherChecks) {
  EXPECT_EQ(errors(k_schema, json::parse(R"({"node": {"count": 1, "disk_type": 7}})")),
            strings{"/node/disk_type: expected string, got integer 7"});
}

TEST(SchemaValidation, MinimumAndMaximum) {
  EXPECT_EQ(errors(k_schema, json::parse(R"({"node": {"count": 0}})")),
            strings{"/node/count: 0 is less than the minimum 1"});
  EXPECT_EQ(errors(k_schema, json::parse(R"({"node": {"count": 101}})")),
            strings{"/node/count: 101 is greater than the maximum 100"});
  EXPECT_EQ(errors(k_schema, json::parse(R"({"node": {"count": 1, "cpus": 0.05}})")),
            strings{"/node/cpus: 0.05 is less than the minimum 0.1"});
  EXPECT_EQ(errors(k_schema, json::parse(R"({"node": {"count": 1, "cpus": 256}})")),
            strings{"/node/cpus: 256 is not less than the exclusive maximum 256"});
  const json exclusive_min = {{"type", "number"}, {"minimum", 0}, {"exclusiveMinimum", true}};
  EXPECT_EQ(errors(exclusive_min, 0), strings{"/: 0 is not greater than the exclusive minimum 0"});
  EXPECT_EQ(errors(exclusive_min, 0.5), strings{});
}

TEST(SchemaValidation, Enum) {
  EXPECT_EQ(errors(k_schema, json::parse(R"({"node": {"count": 1, "disk_type": "root"}})")),
            strings{R"(/node/disk_type: "root" is not one of "ROOT", "MOUNT")"});
}

TEST(SchemaValidation, StringLengthsCountCharacters) {
  EXPECT_EQ(errors(k_schema, json::parse(R"({"node": {"count": 1, "placement": "["}})")),
            (strings{R"(/node/placement: "[" is shorter than the minimum length 2)",
                     R"(/node/placement: "[" does not match the pattern ^\[.*\]$)"}));
  EXPECT_EQ(errors(k_schema, json::parse(R"({"node": {"count": 1, "placement": "[123456789]"}})")),
            strings{R"(/node/placement: "[123456789]" is longer than the maximum length 8)"});
  // Six characters, twelve bytes.
  EXPECT_EQ(errors(k_schema, json::parse("{\"node\": {\"count\": 1, \"placement\": \"[\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9]\"}}")),
            strings{});
}

TEST(SchemaValidation, PatternIsUnanchored) {
  const json schema = {{"type", "string"}, {"pattern", "[0-9]+"}};
  EXPECT_EQ(errors(schema, "abc123def"), strings{});
  EXPECT_EQ(errors(schema, "abc"), strings{R"(/: "abc" does not match the pattern [0-9]+)"});
  const json broken = {{"type", "string"}, {"pattern", "("}};
  ASSERT_EQ(errors(broken, "x").size(), 1u);
  EXPECT_EQ(errors(broken, "x")[0].rfind("/: the schema's pattern ( is not a valid regular expression", 0), 0u);
}

TEST(SchemaValidation, LongValuesAreShortenedInMessages) {
  const json schema = {{"type", "string"}, {"pattern", "^[a-z]*$"}};
  const auto e = errors(schema, std::string(100, 'A'));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "/: \"" + std::string(56, 'A') + "... does not match the pattern ^[a-z]*$");
}

TEST(SchemaValidation, UnknownAndRequiredMembers) {
  EXPECT_EQ(errors(k_schema, json::parse(R"({"node": {"cuont": 3}, "nodes": {}})")),
            (strings{"/node/count: required option is missing", "/node/cuont: unknown option", "/nodes: unknown option"}));
  EXPECT_EQ(errors(k_schema, json::parse(R"({"labels": {"a": 1}, "open": {"anything": [1]}})")),
            strings{"/labels/a: expected string, got integer 1"});
}

TEST(SchemaValidation, Items) {
  EXPECT_EQ(errors(k_schema, json::parse(R"({"list": [1, -1, "x"]})")),
            (strings{"/list/1: -1 is less than the minimum 0", R"(/list/2: expected integer, got string "x")"}));
  EXPECT_EQ(errors(k_schema, json::parse(R"({"pair": [1, 1, "extra"]})")),
            strings{"/pair/0: expected string, got integer 1"});
}

TEST(SchemaValidation, PointerEscaping) {
  EXPECT_EQ(errors(k_schema, json::parse(R"({"a/b~c": 1})")), strings{"/a~1b~0c: unknown option"});
}

}  // namespace
}  // namespace ternmq::scheduler::cosmos
