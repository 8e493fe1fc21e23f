// Tests for option resolution: config.json defaults, the recursive merge with user options, and
// validation of the merged options with every error listed.
#include "scheduler/cosmos/options.hpp"

#include <gtest/gtest.h>

#include "scheduler/cosmos/cosmos_errc.hpp"
#include "tests/unit/scheduler/cosmos/cosmos_test_support.hpp"

namespace ternmq::scheduler::cosmos {
namespace {

using nlohmann::json;
using strings = std::vector<std::string>;

json schema() { return test::read_json(test::source_dir() / "config.json"); }

strings errors(const json& user) {
  strings out;
  for (const auto& e : validate_options(schema(), user)) out.push_back(e.to_string());
  return out;
}

TEST(SchemaDefaults, EveryLeafOfConfigJson) {
  const json d = schema_defaults(schema());
  EXPECT_EQ(d["service"]["name"], "ternmq");
  EXPECT_EQ(d["service"]["virtual_network_enabled"], false);
  EXPECT_EQ(d["node"]["count"], 3);
  EXPECT_EQ(d["node"]["placement_constraint"], R"([["hostname", "UNIQUE"]])");
  EXPECT_EQ(d["node"]["rlimits"]["rlimit_nofile"]["soft"], 128000);
  EXPECT_EQ(d["listeners"]["mqtt_tls"]["vip_port"], 8883);
  EXPECT_EQ(d["broker"]["max_session_expiry_interval"], "4294967295");
  EXPECT_EQ(d.size(), 6u);  // service node listeners tls auth broker
}

TEST(SchemaDefaults, ObjectsWithoutDefaultsStillAppear) {
  const json s = json::parse(R"({"properties": {"a": {"type": "object", "properties": {"b": {"type": "string"}}},
                                                "c": {"type": "integer"}, "d": {"type": "integer", "default": 4}}})");
  EXPECT_EQ(schema_defaults(s), json::parse(R"({"a": {}, "d": 4})"));
}

TEST(MergeOptions, UserValuesWinAndObjectsMergeRecursively) {
  const json base = json::parse(R"({"a": {"b": 1, "c": {"d": 2, "e": 3}}, "f": [1, 2], "g": "x"})");
  const json user = json::parse(R"({"a": {"c": {"e": 30}, "h": 4}, "f": [9], "i": null})");
  EXPECT_EQ(merge_options(base, user),
            json::parse(R"({"a": {"b": 1, "c": {"d": 2, "e": 30}, "h": 4}, "f": [9], "g": "x", "i": null})"));
  EXPECT_EQ(merge_options(base, json::parse(R"({"a": 5})"))["a"], 5);  // not an object: replaces
}

TEST(ResolveOptions, DefaultsOnly) {
  const auto r = resolve_options(schema(), json::object());
  ASSERT_TRUE(r) << r.err().message;
  EXPECT_EQ(*r, schema_defaults(schema()));
  const auto from_null = resolve_options(schema(), nullptr);
  ASSERT_TRUE(from_null) << from_null.err().message;
  EXPECT_EQ(*from_null, *r);
}

TEST(ResolveOptions, NestedUserValuesKeepTheirSiblingsDefaults) {
  const auto r = resolve_options(schema(), json::parse(R"({"listeners": {"mqtt_tls": {"enabled": true}},
                                                           "node": {"rlimits": {"rlimit_nofile": {"hard": 200000}}}})"));
  ASSERT_TRUE(r) << r.err().message;
  EXPECT_EQ((*r)["listeners"]["mqtt_tls"], json::parse(R"({"enabled": true, "host_port": 0, "vip_port": 8883})"));
  EXPECT_EQ((*r)["listeners"]["websocket"]["enabled"], false);
  EXPECT_EQ((*r)["node"]["rlimits"]["rlimit_nofile"], json::parse(R"({"soft": 128000, "hard": 200000})"));
  EXPECT_EQ((*r)["node"]["count"], 3);
}

TEST(ResolveOptions, EveryOptionSetOfThePackageTestsResolves) {
  for (const char* name : {"defaults", "all-listeners-tls", "auth-password-acl", "big-5-nodes", "foldered-service"}) {
    EXPECT_EQ(errors(test::option_set(name)), strings{}) << name;
  }
}

TEST(ResolveOptions, EveryErrorIsListedWithItsPath) {
  const auto r = resolve_options(schema(), json::parse(R"({"node": {"count": 0, "cuont": 3}, "servce": {}})"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, static_cast<int>(cosmos_errc::invalid_options));
  EXPECT_EQ(r.err().message,
            "invalid options:\n/node/count: 0 is less than the minimum 1\n/node/cuont: unknown option\n/servce: unknown option");
}

TEST(ResolveOptions, ValidationErrorKindsOnTheRealSchema) {
  EXPECT_EQ(errors(json::parse(R"({"nodes": {"count": 3}})")), strings{"/nodes: unknown option"});
  EXPECT_EQ(errors(json::parse(R"({"node": {"count": "5"}})")), strings{R"(/node/count: expected integer, got string "5")"});
  EXPECT_EQ(errors(json::parse(R"({"node": {"cpus": "1"}})")), strings{R"(/node/cpus: expected number, got string "1")"});
  EXPECT_EQ(errors(json::parse(R"({"listeners": {"mqtt_tls": {"enabled": "yes"}}})")),
            strings{R"(/listeners/mqtt_tls/enabled: expected boolean, got string "yes")"});
  EXPECT_EQ(errors(json::parse(R"({"node": {"count": 101}})")), strings{"/node/count: 101 is greater than the maximum 100"});
  EXPECT_EQ(errors(json::parse(R"({"node": {"disk_type": "SSD"}})")),
            strings{R"(/node/disk_type: "SSD" is not one of "ROOT", "MOUNT")"});
  EXPECT_EQ(errors(json::parse(R"({"service": {"name": ""}})")),
            (strings{R"(/service/name: "" is shorter than the minimum length 1)",
                     R"(/service/name: "" does not match the pattern ^/?[a-z0-9]([a-z0-9-]*[a-z0-9])?(/[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$)"}));
  EXPECT_EQ(errors(json::parse(R"({"service": {"name": ")" + std::string(64, 'a') + R"("}})")),
            strings{R"(/service/name: ")" + std::string(56, 'a') + R"(... is longer than the maximum length 63)"});
  EXPECT_EQ(errors(json::parse(R"({"node": {"placement_constraint": "hostname:UNIQUE"}})")),
            strings{R"(/node/placement_constraint: "hostname:UNIQUE" does not match the pattern ^\[[^']*\]$)"});
  EXPECT_EQ(errors(json::parse(R"({"node": null})")), strings{"/node: expected object, got null"});
}

TEST(ResolveOptions, OptionsMustBeAnObject) {
  const auto r = resolve_options(schema(), json::array());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().message, "invalid options:\n/: the options must be an object, got []");
}

}  // namespace
}  // namespace ternmq::scheduler::cosmos
