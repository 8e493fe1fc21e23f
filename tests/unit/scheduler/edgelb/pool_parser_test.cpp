// Tests for parse_pool: Edge-LB's defaults, the DC/OS-only keys it drops, the keys it refuses, and
// errors that name the JSON path of every problem.
#include <gtest/gtest.h>

#include "scheduler/edgelb/edgelb_errc.hpp"
#include "scheduler/edgelb/pool_parser.hpp"

namespace ternmq::scheduler::edgelb {
namespace {

// The HiveMQ documentation's pool, adapted: no frontend name, no balance, no stats.
constexpr const char* k_minimal = R"({
  "apiVersion": "V2", "name": "hivemq", "count": 1,
  "haproxy": {
    "frontends": [{"bindPort": 1883, "protocol": "TCP", "linkBackend": {"defaultBackend": "mqtt"}}],
    "backends": [{"name": "mqtt", "protocol": "TCP",
                  "services": [{"mesos": {"frameworkName": "hivemq", "taskNamePattern": ".*-node"},
                                "endpoint": {"portName": "mqtt"}}]}]
  }
})";

// `k_minimal` with `patch` (RFC 7396) applied, parsed.
core::result<pool> parse_patched(const std::string& patch) {
  auto doc = nlohmann::json::parse(k_minimal);
  doc.merge_patch(nlohmann::json::parse(patch));
  return pool_from_json(doc);
}

// The error message of parsing `json_text`, or "" when it parses.
std::string errors_of(const std::string& json_text) {
  auto p = parse_pool(json_text);
  return p ? std::string() : p.err().message;
}

// `k_minimal` with the first frontend (or backend) replaced by `item`.
std::string with_frontend(const std::string& item) {
  auto doc = nlohmann::json::parse(k_minimal);
  doc["haproxy"]["frontends"][0] = nlohmann::json::parse(item);
  return doc.dump();
}
std::string with_backend(const std::string& item) {
  auto doc = nlohmann::json::parse(k_minimal);
  doc["haproxy"]["backends"][0] = nlohmann::json::parse(item);
  return doc.dump();
}

TEST(ParsePool, FillsEdgeLbDefaults) {
  auto p = parse_pool(k_minimal);
  ASSERT_TRUE(p) << p.err().message;
  EXPECT_EQ(p->name, "hivemq");
  EXPECT_EQ(p->stats.bind_port, 9090);
  ASSERT_EQ(p->frontends.size(), 1u);
  EXPECT_EQ(p->frontends[0].name, "frontend_0.0.0.0_1883");
  EXPECT_EQ(p->frontends[0].bind_address, "0.0.0.0");
  EXPECT_EQ(p->frontends[0].default_backend, "mqtt");
  ASSERT_EQ(p->backends.size(), 1u);
  EXPECT_EQ(p->backends[0].balance, "roundrobin");
  EXPECT_EQ(p->backends[0].services[0].mesos, (mesos_selector{"hivemq", "", "", ".*-node"}));
  EXPECT_EQ(p->backends[0].services[0].port_name, "mqtt");
}

TEST(ParsePool, DropsKeysThatOnlyShapeThePoolOnDcos) {
  auto p = parse_patched(R"({"namespace": "dcos-edgelb/pools", "role": "slave_public", "cpus": 0.9, "mem": 992,
                             "constraints": "hostname:UNIQUE", "ports": [1883], "autoCertificate": false,
                             "secrets": [{"secret": "s", "file": "f"}], "apiVersion": null})");
  ASSERT_TRUE(p) << p.err().message;
  EXPECT_EQ(p->name, "hivemq");
}

TEST(ParsePool, ApiVersionIsV2ByDefaultAndV1IsRefused) {
  EXPECT_TRUE(parse_patched(R"({"apiVersion": null})"));
  auto v1 = parse_patched(R"({"apiVersion": "V1"})");
  ASSERT_FALSE(v1);
  EXPECT_EQ(v1.err().message, "apiVersion: not supported: \"V1\"; only V2 pools are run in local mode");
}

TEST(ParsePool, ErrorsNameTheJsonPath) {
  EXPECT_EQ(errors_of(with_frontend(R"({"bindPort": "x", "protocol": "TCP", "linkBackend": {"defaultBackend": "mqtt"}})")),
            R"(haproxy.frontends[0].bindPort: expected an integer 1..65535, got "x")");
  EXPECT_EQ(errors_of(with_frontend(R"({"bindPort": 1883, "protocol": "UDP", "linkBackend": {"defaultBackend": "mqtt"}})")),
            R"(haproxy.frontends[0].protocol: expected TCP, HTTP, HTTPS or TLS, got "UDP")");
  EXPECT_EQ(errors_of(with_frontend(R"({"bindPort": 1883, "protocol": "TCP"})")),
            "haproxy.frontends[0].linkBackend: is required");
  EXPECT_EQ(errors_of(with_backend(R"({"name": "mqtt", "protocol": "TCP",
      "services": [{"mesos": {"frameworkName": "f"}, "endpoint": {"portName": 7}}]})")),
            "haproxy.backends[0].services[0].endpoint.portName: expected a string, got 7");
  EXPECT_EQ(errors_of(R"({"name": "x", "haproxy": []})"), "haproxy: expected an object, got an array");
  EXPECT_EQ(errors_of("[]"), "<root>: expected an object, got an array");
}

TEST(ParsePool, ReportsEveryProblemOnePerLine) {
  EXPECT_EQ(errors_of(R"({"count": -1, "haproxy": {"frontends": [], "backends": [], "stats": {"bindPort": 0}}})"),
            "name: is required\n"
            "count: expected an integer 0..1000, got -1\n"
            "haproxy.stats.bindPort: expected an integer 1..65535, got 0");
}

TEST(ParsePool, UnknownKeysAreErrors) {
  EXPECT_EQ(errors_of(with_frontend(R"({"bindPort": 1883, "protocol": "TCP", "bindPrt": 1,
                                        "linkBackend": {"defaultBackend": "mqtt"}})")),
            "haproxy.frontends[0].bindPrt: unknown key");
  auto p = parse_patched(R"({"haproxy": {"extra": 1}})");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.err().code, static_cast<int>(edgelb_errc::invalid_pool));
  EXPECT_EQ(p.err().message, "haproxy.extra: unknown key");
}

TEST(ParsePool, RoutingFeaturesLocalModeCannotRunAreRefusedByName) {
  const std::string certs = errors_of(with_frontend(R"({"bindPort": 443, "protocol": "HTTPS", "certificates": ["$AUTOCERT"],
                                                        "linkBackend": {"defaultBackend": "mqtt"}})"));
  EXPECT_EQ(certs, "haproxy.frontends[0].certificates: not supported: only TCP frontends are run in local mode");
  EXPECT_NE(errors_of(with_frontend(R"({"bindPort": 1, "protocol": "TCP",
      "linkBackend": {"defaultBackend": "mqtt", "map": [{"backend": "mqtt", "hostEq": "a"}]}})"))
                .find("haproxy.frontends[0].linkBackend.map: not supported"),
            std::string::npos);
  EXPECT_NE(errors_of(with_backend(R"({"name": "mqtt", "protocol": "TCP",
      "services": [{"marathon": {"serviceID": "/app"}, "endpoint": {"portName": "p"}}]})"))
                .find("haproxy.backends[0].services[0].marathon: not supported"),
            std::string::npos);
  EXPECT_NE(errors_of(with_backend(R"({"name": "mqtt", "protocol": "TCP",
      "services": [{"mesos": {"frameworkName": "f", "taskID": "t1"}, "endpoint": {"portName": "p"}}]})"))
                .find("haproxy.backends[0].services[0].mesos.taskID: not supported"),
            std::string::npos);
  // Empty or false values of refused keys are harmless.
  EXPECT_EQ(errors_of(with_frontend(R"({"bindPort": 1883, "protocol": "TCP", "certificates": [],
                                        "linkBackend": {"defaultBackend": "mqtt", "map": []}})")),
            "");
}

TEST(ParsePool, SelectorsNeedOneFrameworkConditionAndAtMostOneTaskCondition) {
  EXPECT_EQ(errors_of(with_backend(R"({"name": "mqtt", "protocol": "TCP",
      "services": [{"mesos": {"taskName": "t"}, "endpoint": {"portName": "p"}}]})")),
            "haproxy.backends[0].services[0].mesos: needs exactly one of frameworkName and frameworkNamePattern");
  EXPECT_EQ(errors_of(with_backend(R"({"name": "mqtt", "protocol": "TCP",
      "services": [{"mesos": {"frameworkName": "f", "taskName": "t", "taskNamePattern": "t.*"},
                    "endpoint": {"portName": "p"}}]})")),
            "haproxy.backends[0].services[0].mesos: needs at most one of taskName and taskNamePattern");
}

TEST(ParsePool, PatternsMustBeValidRegularExpressions) {
  const std::string message = errors_of(with_backend(R"({"name": "mqtt", "protocol": "TCP",
      "services": [{"mesos": {"frameworkName": "f", "taskNamePattern": "node-(["}, "endpoint": {"portName": "p"}}]})"));
  EXPECT_EQ(message.rfind("haproxy.backends[0].services[0].mesos.taskNamePattern: not a valid regular expression", 0),
            0u)
      << message;
  // RE2-only syntax is refused too (see server_selection.hpp).
  EXPECT_NE(errors_of(with_backend(R"j({"name": "mqtt", "protocol": "TCP",
      "services": [{"mesos": {"frameworkName": "f", "taskNamePattern": "(?P<n>node)"}, "endpoint": {"portName": "p"}}]})j")),
            "");
}

TEST(ParsePool, RawLinesMustStayOneLine) {
  EXPECT_EQ(errors_of(with_frontend(R"({"bindPort": 1883, "protocol": "TCP", "miscStrs": ["timeout client 1h\nbind :80"],
                                        "linkBackend": {"defaultBackend": "mqtt"}})")),
            "haproxy.frontends[0].miscStrs[0]: holds a line break");
  EXPECT_EQ(errors_of(with_backend(R"({"name": "mqtt", "protocol": "TCP", "balance": "leastconn\nx", "services": []})")),
            "haproxy.backends[0].balance: must be one HAProxy balance algorithm");
}

TEST(ParsePool, CrossChecksNamesPortsAndLinks) {
  EXPECT_EQ(errors_of(with_frontend(R"({"bindPort": 1883, "protocol": "TCP", "linkBackend": {"defaultBackend": "nope"}})")),
            R"(haproxy.frontends[0].linkBackend.defaultBackend: no backend named "nope")");
  EXPECT_EQ(errors_of(with_frontend(R"({"bindPort": 9090, "protocol": "TCP", "linkBackend": {"defaultBackend": "mqtt"}})")),
            "haproxy.frontends[0].bindPort: 9090 is already bound by haproxy.stats.bindPort");
  auto doc = nlohmann::json::parse(k_minimal);
  doc["haproxy"]["frontends"].push_back(doc["haproxy"]["frontends"][0]);
  doc["haproxy"]["frontends"][1]["bindPort"] = 1884;
  doc["haproxy"]["frontends"][1]["name"] = "frontend_0.0.0.0_1883";
  doc["haproxy"]["backends"].push_back(doc["haproxy"]["backends"][0]);
  EXPECT_EQ(errors_of(doc.dump()),
            "haproxy.backends[1].name: duplicate backend \"mqtt\"\n"
            "haproxy.frontends[1].name: duplicate frontend \"frontend_0.0.0.0_1883\"");
}

TEST(ParsePool, JsonSyntaxErrorsGiveTheByte) {
  auto p = parse_pool(R"({"name": "x",})");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.err().code, static_cast<int>(edgelb_errc::json_syntax));
  EXPECT_EQ(p.err().message.rfind("byte 14: ", 0), 0u) << p.err().message;
}

}  // namespace
}  // namespace ternmq::scheduler::edgelb
