// Tests for the Mustache context Cosmos renders with: values as Cosmos hands them to mustache.java
// (JSON-escaped strings, Int or Java Double numbers, true/false) under flattened dotted names.
#include "scheduler/cosmos/template_context.hpp"

#include <gtest/gtest.h>

namespace ternmq::scheduler::cosmos {
namespace {

using nlohmann::json;

TEST(CosmosScalar, StringsAreJsonEscapedWithoutQuotes) {
  EXPECT_EQ(cosmos_scalar("ternmq"), "ternmq");
  EXPECT_EQ(cosmos_scalar(R"([["hostname", "UNIQUE"]])"), R"([[\"hostname\", \"UNIQUE\"]])");
  EXPECT_EQ(cosmos_scalar("a\\b\nc\td/e"), R"(a\\b\nc\td/e)");
  EXPECT_EQ(cosmos_scalar("caf\xc3\xa9"), R"(caf\u00e9)");
  EXPECT_EQ(cosmos_scalar(""), "");
}

TEST(CosmosScalar, BooleansAndNull) {
  EXPECT_EQ(cosmos_scalar(true), "true");
  EXPECT_EQ(cosmos_scalar(false), "false");
  EXPECT_EQ(cosmos_scalar(nullptr), "");
}

TEST(CosmosScalar, NumbersAsJavaIntWhenTheyFitElseDouble) {
  EXPECT_EQ(cosmos_scalar(3), "3");
  EXPECT_EQ(cosmos_scalar(-1), "-1");
  EXPECT_EQ(cosmos_scalar(2147483647), "2147483647");
  EXPECT_EQ(cosmos_scalar(-2147483648LL), "-2147483648");
  EXPECT_EQ(cosmos_scalar(json::parse("2.0")), "2");
  EXPECT_EQ(cosmos_scalar(0.5), "0.5");
  EXPECT_EQ(cosmos_scalar(4294967295ULL), "4.294967295E9");
  EXPECT_EQ(cosmos_scalar(2147483648LL), "2.147483648E9");
  EXPECT_EQ(cosmos_scalar(json::parse("1e20")), "1.0E20");
}

TEST(JavaDouble, LikeDoubleToString) {
  EXPECT_EQ(java_double(0), "0.0");
  EXPECT_EQ(java_double(0.5), "0.5");
  EXPECT_EQ(java_double(1), "1.0");
  EXPECT_EQ(java_double(0.001), "0.001");
  EXPECT_EQ(java_double(0.0001), "1.0E-4");
  EXPECT_EQ(java_double(1234567.5), "1234567.5");
  EXPECT_EQ(java_double(1e7), "1.0E7");
  EXPECT_EQ(java_double(12345678.9), "1.23456789E7");
  EXPECT_EQ(java_double(-2.5), "-2.5");
  EXPECT_EQ(java_double(0.1), "0.1");
}

TEST(TemplateContext, NestedObjectsBecomeDottedNames) {
  const json options = json::parse(R"({"service": {"name": "/prod/mqtt", "virtual_network_enabled": true},
                                       "node": {"count": 3, "cpus": 0.5, "rlimits": {"rlimit_nofile": {"soft": 1024}}},
                                       "list": [1, 2]})");
  const json resource = json::parse(R"({"assets": {"uris": {"ternmq-tar-gz": "https://x/t.tar.gz"}}})");
  const spec::mustache_context expected{{"service.name", "/prod/mqtt"},
                                        {"service.virtual_network_enabled", "true"},
                                        {"node.count", "3"},
                                        {"node.cpus", "0.5"},
                                        {"node.rlimits.rlimit_nofile.soft", "1024"},
                                        {"resource.assets.uris.ternmq-tar-gz", "https://x/t.tar.gz"}};
  EXPECT_EQ(template_context(options, resource), expected);
}

}  // namespace
}  // namespace ternmq::scheduler::cosmos
