// Tests for rendering the repository's edge-lb/pool.json.mustache into a pool: the context built
// from nested options and pool settings, the pool with default options and with every listener
// on, pool settings as parameters, escaping of names, and template errors.
#include <gtest/gtest.h>

#include "scheduler/edgelb/edgelb_errc.hpp"
#include "scheduler/edgelb/pool_template.hpp"
#include "tests/unit/scheduler/edgelb/repo_files.hpp"

namespace ternmq::scheduler::edgelb {
namespace {

using test::option_set;
using test::pool_template;
using test::resolved_options;

pool render_or_fail(const nlohmann::json& options, const pool_settings& settings = {}) {
  auto p = render_pool(pool_template(), pool_context(options, settings));
  EXPECT_TRUE(p) << p.err().message;
  return p ? *p : pool{};
}

pool_backend broker_backend(const std::string& name, const std::string& framework) {
  pool_backend b;
  b.name = name;
  b.balance = "leastconn";
  b.misc_strs = {"timeout server 1h"};
  b.services = {pool_service{mesos_selector{framework, "", "", "^node-[0-9]+-broker$"}, name}};
  return b;
}

pool_frontend tcp_frontend(const std::string& name, std::uint16_t port) {
  return pool_frontend{name, "0.0.0.0", port, pool_protocol::tcp, {"timeout client 1h"}, name};
}

TEST(PoolContext, FlattensNestedOptionsIntoDottedKeys) {
  const auto options = nlohmann::json::parse(R"({
    "service": {"name": "/prod/mqtt", "quote": "say \"hi\"\\"},
    "listeners": {"mqtt_tls": {"enabled": true, "vip_port": 8883}, "websocket": {"enabled": false}},
    "node": {"placement": [["hostname", "UNIQUE"]], "ratio": 0.5, "nothing": null}
  })");
  const auto context = pool_context(options, pool_settings{});
  EXPECT_EQ(context.at("service.name"), "/prod/mqtt");
  EXPECT_EQ(context.at("service.quote"), R"(say \"hi\"\\)");  // JSON-escaped, without quotes
  EXPECT_EQ(context.at("listeners.mqtt_tls.enabled"), "true");
  EXPECT_EQ(context.at("listeners.mqtt_tls.vip_port"), "8883");
  EXPECT_EQ(context.at("listeners.websocket.enabled"), "false");
  EXPECT_FALSE(context.contains("node.placement"));  // lists are left out, as in the Marathon app's context
  EXPECT_EQ(context.at("node.ratio"), "0.5");
  EXPECT_EQ(context.at("node.nothing"), "");
  EXPECT_EQ(context.at("pool.name"), "ternmq-lb");
  EXPECT_EQ(context.at("pool.count"), "1");
  EXPECT_EQ(context.at("pool.stats_port"), "9090");
  EXPECT_EQ(context.at("pool.idle_timeout"), "1h");
  EXPECT_FALSE(context.contains("listeners"));  // objects are not values
}

TEST(PoolContext, PoolSettingsWinOverAPoolKeyInTheOptions) {
  const auto context = pool_context(nlohmann::json::parse(R"({"pool": {"name": "from-options"}})"),
                                    pool_settings{"edge", 2, 9191, "30m"});
  EXPECT_EQ(context.at("pool.name"), "edge");
  EXPECT_EQ(context.at("pool.count"), "2");
  EXPECT_EQ(context.at("pool.stats_port"), "9191");
  EXPECT_EQ(context.at("pool.idle_timeout"), "30m");
}

TEST(RenderPool, DefaultOptionsGiveOneMqttFrontendAndBackend) {
  const pool p = render_or_fail(resolved_options());
  EXPECT_EQ(p.name, "ternmq-lb");
  EXPECT_EQ(p.count, 1);
  EXPECT_EQ(p.stats.bind_port, 9090);
  ASSERT_EQ(p.frontends.size(), 1u);
  EXPECT_EQ(p.frontends[0], tcp_frontend("mqtt", 1883));
  ASSERT_EQ(p.backends.size(), 1u);
  EXPECT_EQ(p.backends[0], broker_backend("mqtt", "ternmq"));
}

TEST(RenderPool, EveryListenerEnabledGivesAFrontendAndBackendEach) {
  // all-listeners-tls: mqtt_tls on VIP port 8884, websocket and websocket_tls on their defaults.
  const pool p = render_or_fail(option_set("all-listeners-tls"));
  ASSERT_EQ(p.frontends.size(), 4u);
  EXPECT_EQ(p.frontends[0], tcp_frontend("mqtt", 1883));
  EXPECT_EQ(p.frontends[1], tcp_frontend("mqtt-tls", 8884));
  EXPECT_EQ(p.frontends[2], tcp_frontend("websocket", 8083));
  EXPECT_EQ(p.frontends[3], tcp_frontend("websocket-tls", 8443));
  ASSERT_EQ(p.backends.size(), 4u);
  for (const std::string name : {"mqtt", "mqtt-tls", "websocket", "websocket-tls"}) {
    const auto it = std::find_if(p.backends.begin(), p.backends.end(), [&](const auto& b) { return b.name == name; });
    ASSERT_NE(it, p.backends.end()) << name;
    EXPECT_EQ(*it, broker_backend(name, "ternmq"));
  }
}

TEST(RenderPool, OneListenerOnTheOthersOff) {
  auto options = resolved_options(nlohmann::json::parse(R"({"listeners": {"websocket": {"enabled": true}}})"));
  const pool p = render_or_fail(options);
  ASSERT_EQ(p.frontends.size(), 2u);
  EXPECT_EQ(p.frontends[1], tcp_frontend("websocket", 8083));
  ASSERT_EQ(p.backends.size(), 2u);
  EXPECT_EQ(p.backends[1].name, "websocket");
}

TEST(RenderPool, PoolSettingsAreParameters) {
  const pool p = render_or_fail(resolved_options(), pool_settings{"mqtt-edge", 4, 9191, "30m"});
  EXPECT_EQ(p.name, "mqtt-edge");
  EXPECT_EQ(p.count, 4);
  EXPECT_EQ(p.stats.bind_port, 9191);
  EXPECT_EQ(p.frontends[0].misc_strs, std::vector<std::string>{"timeout client 30m"});
  EXPECT_EQ(p.backends[0].misc_strs, std::vector<std::string>{"timeout server 30m"});
}

TEST(RenderPool, FolderedAndOddServiceNamesSurviveAsFrameworkNames) {
  EXPECT_EQ(render_or_fail(option_set("foldered-service")).backends[0].services[0].mesos.framework_name,
            option_set("foldered-service")["service"]["name"].get<std::string>());
  auto options = resolved_options();
  options["service"]["name"] = R"(odd"name\x)";
  EXPECT_EQ(render_or_fail(options).backends[0].services[0].mesos.framework_name, R"(odd"name\x)");
}

TEST(RenderPool, AVariableTheContextLacksIsAnError) {
  auto options = resolved_options();
  options.erase("service");
  auto p = render_pool(pool_template(), pool_context(options, {}));
  ASSERT_FALSE(p);
  EXPECT_EQ(p.err().code, static_cast<int>(edgelb_errc::template_error));
  EXPECT_NE(p.err().message.find("pool template: "), std::string::npos) << p.err().message;
  EXPECT_NE(p.err().message.find("service.name"), std::string::npos) << p.err().message;
}

TEST(RenderPool, TemplateAndPoolErrorsSayWhichStageFailed) {
  auto broken = render_pool("{{#pool.name}}", pool_context(resolved_options(), {}));
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.err().code, static_cast<int>(edgelb_errc::template_error));

  auto not_json = render_pool("{\"name\": {{pool.count}}", pool_context(resolved_options(), {}));
  ASSERT_FALSE(not_json);
  EXPECT_EQ(not_json.err().code, static_cast<int>(edgelb_errc::json_syntax));
  EXPECT_EQ(not_json.err().message.rfind("rendered pool: ", 0), 0u) << not_json.err().message;

  auto bad_port = render_pool(pool_template(), pool_context(resolved_options(), pool_settings{"x", 1, 70000, "1h"}));
  ASSERT_FALSE(bad_port);
  EXPECT_EQ(bad_port.err().code, static_cast<int>(edgelb_errc::invalid_pool));
  EXPECT_EQ(bad_port.err().message,
            "rendered pool: haproxy.stats.bindPort: expected an integer 1..65535, got 70000");
}

}  // namespace
}  // namespace ternmq::scheduler::edgelb
