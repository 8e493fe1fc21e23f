// Tests for rendering the repository's package as Cosmos does: every template name set by the
// defaults, the env each option set of tests/package/options/ gives (the values tests/package gets
// from pystache), toggles as true/false, secrets, escaping, and the errors of each step.
#include "scheduler/cosmos/marathon_app.hpp"

#include <gtest/gtest.h>

#include "scheduler/cosmos/cosmos_errc.hpp"
#include "scheduler/cosmos/options.hpp"
#include "scheduler/cosmos/template_context.hpp"
#include "tests/unit/scheduler/cosmos/cosmos_test_support.hpp"

namespace ternmq::scheduler::cosmos {
namespace {

using nlohmann::json;
using env_map = std::map<std::string, std::string>;

scheduler_environment render(const json& user, const spec::render_options& options = cosmos_render_options()) {
  auto r = render_package(test::repo_package(), user, options);
  if (!r) ADD_FAILURE() << r.err().message;
  return r ? *r : scheduler_environment{};
}

// The entries of `env` named in `expected`.
env_map pick(const env_map& env, const env_map& expected) {
  env_map out;
  for (const auto& [k, v] : expected) {
    const auto it = env.find(k);
    out[k] = it == env.end() ? "<unset>" : it->second;
  }
  return out;
}

TEST(MarathonApp, EveryTagOfTheTemplateIsSetByTheDefaults) {
  const auto files = test::repo_package();
  const auto resolved = resolve_options(files.config, json::object());
  ASSERT_TRUE(resolved) << resolved.err().message;
  const auto strict = render_marathon_app(files, *resolved, {spec::escaping::none, spec::missing_variable_policy::fail});
  ASSERT_TRUE(strict) << strict.err().message;
  // Sections are not covered by the strict policy; check their names too.
  const auto context = template_context(*resolved, files.resource);
  const auto parsed = spec::mustache_template::parse(files.marathon_template);
  ASSERT_TRUE(parsed) << parsed.err().message;
  for (const auto& name : parsed->names()) EXPECT_TRUE(context.contains(name)) << name;
}

TEST(MarathonApp, DefaultsGiveTheSchedulerItsEnvironment) {
  const auto out = render(json::object());
  EXPECT_EQ(out.env.size(), 63u);  // every option once, plus the artifact and image
  EXPECT_TRUE(out.secret_env.empty());
  EXPECT_EQ(out.options, schema_defaults(test::repo_package().config));
  EXPECT_EQ(out.app["id"], "ternmq");
  EXPECT_EQ(out.app["labels"]["DCOS_PACKAGE_FRAMEWORK_NAME"], "ternmq");
  EXPECT_FALSE(out.app.contains("secrets"));
  const env_map expected{{"FRAMEWORK_NAME", "ternmq"},
                         {"SERVICE_NAME", "ternmq"},
                         {"FRAMEWORK_USER", "nobody"},
                         {"FRAMEWORK_PRINCIPAL", ""},
                         {"FRAMEWORK_LOG_LEVEL", "INFO"},
                         {"ENABLE_VIRTUAL_NETWORK", "false"},
                         {"TERNMQ_URI", "{{artifact-dir}}/ternmq-0.1.0-linux-amd64.tar.gz"},
                         {"TERNMQ_IMAGE", "ternmq/ternmq:0.1.0"},
                         {"NODE_COUNT", "3"},
                         {"NODE_CPUS", "1"},
                         {"NODE_MEM", "2048"},
                         {"NODE_DISK_TYPE", "ROOT"},
                         {"NODE_PLACEMENT", R"([["hostname", "UNIQUE"]])"},
                         {"NODE_RLIMIT_NOFILE_SOFT", "128000"},
                         {"MQTT_HOST_PORT", "0"},
                         {"MQTT_TLS_ENABLED", "false"},
                         {"MQTT_TLS_VIP_PORT", "8883"},
                         {"WEBSOCKET_ENABLED", "false"},
                         {"WEBSOCKET_TLS_ENABLED", "false"},
                         {"WEBSOCKET_TLS_VIP_PORT", "8443"},
                         {"TLS_CERT", ""},
                         {"ALLOW_ANONYMOUS", "off"},
                         {"SYSTREE_ENABLED", "on"},
                         {"UPGRADE_OUTGOING_QOS", "off"},
                         {"MAX_ONLINE_MESSAGES", "1000"},
                         {"MAX_SESSION_EXPIRY_INTERVAL", "4294967295"},
                         {"LISTENER_ALLOWED_PROTOCOL_VERSIONS", "3,4,5"}};
  EXPECT_EQ(pick(out.env, expected), expected);
}

TEST(MarathonApp, AllListenersAndTls) {
  const json user = test::option_set("all-listeners-tls");
  const auto out = render(user);
  const env_map expected{{"MQTT_TLS_ENABLED", "true"},      {"MQTT_TLS_VIP_PORT", "8884"},
                         {"WEBSOCKET_ENABLED", "true"},     {"WEBSOCKET_HOST_PORT", "8083"},
                         {"WEBSOCKET_TLS_ENABLED", "true"}, {"WEBSOCKET_TLS_HOST_PORT", "0"},
                         {"ALLOW_ANONYMOUS", "on"},         {"TLS_VERSION", "tlsv1.2"},
                         {"TLS_CIPHERS", "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256"}};
  EXPECT_EQ(pick(out.env, expected), expected);
  EXPECT_EQ(out.env.at("TLS_CERT"), user["tls"]["certificate"]);
  EXPECT_EQ(out.env.at("TLS_KEY"), user["tls"]["private_key"]);
  EXPECT_EQ(out.env.at("TLS_CA"), user["tls"]["ca_certificate"]);
}

TEST(MarathonApp, ListenerTogglesAreTrueOrFalse) {
  for (const bool on : {true, false}) {
    const auto out = render({{"listeners", {{"mqtt_tls", {{"enabled", on}}}, {"websocket_tls", {{"enabled", !on}}}}},
                             {"service", {{"virtual_network_enabled", on}}},
                             {"tls", {{"require_client_certificate", on}}}});
    EXPECT_EQ(out.env.at("MQTT_TLS_ENABLED"), on ? "true" : "false");
    EXPECT_EQ(out.env.at("WEBSOCKET_TLS_ENABLED"), on ? "false" : "true");
    EXPECT_EQ(out.env.at("ENABLE_VIRTUAL_NETWORK"), on ? "true" : "false");
    EXPECT_EQ(out.env.at("TLS_REQUIRE_CERTIFICATE"), on ? "on" : "off");
  }
}

TEST(MarathonApp, AuthPasswordAcl) {
  const json user = test::option_set("auth-password-acl");
  const auto out = render(user);
  EXPECT_EQ(out.env.at("PASSWORD_FILE_CONTENTS"), user["auth"]["password_file"]);
  EXPECT_EQ(out.env.at("ACL_FILE_CONTENTS"), user["auth"]["acl_file"]);
  EXPECT_EQ(out.env.at("ACL_SUBSCRIBE_FAILURE_REASON"), "unspecified");
  EXPECT_EQ(out.env.at("ALLOW_ANONYMOUS"), "off");
}

TEST(MarathonApp, BigFiveNodes) {
  const auto out = render(test::option_set("big-5-nodes"));
  const env_map expected{{"NODE_COUNT", "5"},
                         {"NODE_CPUS", "8"},
                         {"NODE_MEM", "32768"},
                         {"NODE_DISK", "200000"},
                         {"NODE_DISK_TYPE", "MOUNT"},
                         {"NODE_PLACEMENT", R"([["hostname", "UNIQUE"], ["@zone", "GROUP_BY", "3"]])"},
                         {"NODE_KILL_GRACE_PERIOD", "120"},
                         {"NODE_RLIMIT_NOFILE_HARD", "1048576"},
                         {"MQTT_HOST_PORT", "1883"},
                         {"LISTENER_MAX_CONNECTIONS", "200000"},
                         {"LOG_CONSOLE_LEVEL", "debug"},
                         {"MAX_ONLINE_MESSAGES", "-1"},
                         {"MAX_SESSION_EXPIRY_INTERVAL", "86400"},
                         {"UPGRADE_OUTGOING_QOS", "on"},
                         {"SYSTREE_ENABLED", "off"},
                         {"SYSTREE_INTERVAL", "0"},
                         {"DISTRIBUTED_COOKIE", "s3cr3t-cookie"},
                         {"QUEUE_TYPE", "lifo"},
                         {"SHARED_SUBSCRIPTION_POLICY", "random"},
                         {"LEVELDB_MAXIMUM_MEMORY_PERCENT", "50"}};
  EXPECT_EQ(pick(out.env, expected), expected);
}

TEST(MarathonApp, FolderedServiceWithASecret) {
  const auto out = render(test::option_set("foldered-service"));
  const env_map expected{{"FRAMEWORK_NAME", "/prod/mqtt"},   {"FRAMEWORK_USER", "root"},
                         {"FRAMEWORK_PRINCIPAL", "prod-mqtt"}, {"FRAMEWORK_LOG_LEVEL", "DEBUG"},
                         {"ENABLE_VIRTUAL_NETWORK", "true"}, {"VIRTUAL_NETWORK_PLUGIN_LABELS", "team:iot,env:prod"},
                         {"WEBSOCKET_ENABLED", "true"},      {"WEBSOCKET_VIP_PORT", "9001"}};
  EXPECT_EQ(pick(out.env, expected), expected);
  EXPECT_EQ(out.app["id"], "/prod/mqtt");
  EXPECT_EQ(out.app["secrets"]["serviceCredential"]["source"], "prod/mqtt/service-account");
  // A secret reference is not an env value: it is listed apart, with the secret's path.
  EXPECT_FALSE(out.env.contains("DCOS_SERVICE_ACCOUNT_CREDENTIAL"));
  EXPECT_EQ(out.secret_env, (env_map{{"DCOS_SERVICE_ACCOUNT_CREDENTIAL", "prod/mqtt/service-account"}}));
}

TEST(MarathonApp, QuotesAndBackslashesSurviveTheJsonOfTheApp) {
  const std::string placement = R"([["hostname", "LIKE", "10\\.0\\..*"]])";
  const auto out = render({{"node", {{"placement_constraint", placement}, {"cpus", 0.5}}}});
  EXPECT_EQ(out.env.at("NODE_PLACEMENT"), placement);
  EXPECT_EQ(out.env.at("NODE_CPUS"), "0.5");
}

TEST(MarathonApp, TheTemplateDoesNotDependOnHtmlEscaping) {
  // Every tag is a triple mustache, so mustache.java's HTML escaping, on or off, changes nothing.
  for (const char* name : {"defaults", "all-listeners-tls", "big-5-nodes", "foldered-service"}) {
    const json user = test::option_set(name);
    EXPECT_EQ(render(user, {spec::escaping::html, spec::missing_variable_policy::render_empty}).app, render(user).app)
        << name;
  }
}

TEST(MarathonApp, MarathonEnvIsTheEnvOfRenderPackage) {
  const json user = test::option_set("big-5-nodes");
  const auto env = marathon_env(test::repo_package(), user);
  ASSERT_TRUE(env) << env.err().message;
  EXPECT_EQ(*env, render(user).env);
}

TEST(MarathonApp, InvalidOptionsStopBeforeRendering) {
  const auto r = marathon_env(test::repo_package(), json::parse(R"({"node": {"count": 0}})"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, static_cast<int>(cosmos_errc::invalid_options));
  EXPECT_EQ(r.err().message, "invalid options:\n/node/count: 0 is less than the minimum 1");
}

package_files tiny_package(std::string marathon_template) {
  package_files files;
  files.config = json::parse(R"({"type": "object", "properties": {"name": {"type": "string", "default": "x"}}})");
  files.marathon_template = std::move(marathon_template);
  files.resource = json::object();
  return files;
}

TEST(MarathonApp, ErrorsOfEachStep) {
  auto r = render_package(tiny_package("{{#name}}"), json::object());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, static_cast<int>(cosmos_errc::template_error));
  EXPECT_EQ(r.err().message, R"(marathon.json.mustache: line 1, column 1: section "name" is never closed)");

  r = render_package(tiny_package(R"({"env": {"A": "{{{name}}}"})"), json::object());  // one brace short
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, static_cast<int>(cosmos_errc::invalid_app));
  EXPECT_EQ(r.err().message.rfind("rendered marathon.json.mustache is not valid JSON: ", 0), 0u);

  r = render_package(tiny_package("[]"), json::object());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().message, "rendered marathon.json.mustache is not a JSON object");

  r = render_package(tiny_package(R"({"id": "{{{name}}}"})"), json::object());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().message, "the Marathon app has no env object");

  r = render_package(tiny_package(R"({"env": {"CRED": {"secret": "s"}}})"), json::object());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().message, "env CRED refers to secret s, which the app's secrets do not define");

  const auto strict = render_package(tiny_package(R"({"env": {"A": "{{{nmae}}}"}})"), json::object(),
                                     {spec::escaping::none, spec::missing_variable_policy::fail});
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.err().code, static_cast<int>(cosmos_errc::template_error));
  EXPECT_EQ(strict.err().message, R"(marathon.json.mustache: line 1, column 16: variable "nmae" is not set)");
}

TEST(MarathonApp, NonStringEnvValuesAreStringified) {
  const auto r = render_package(tiny_package(R"({"env": {"N": 3, "D": 0.5, "B": true, "Z": null, "S": "{{{name}}}"}})"),
                                json::object());
  ASSERT_TRUE(r) << r.err().message;
  EXPECT_EQ(r->env, (env_map{{"N", "3"}, {"D", "0.5"}, {"B", "true"}, {"Z", ""}, {"S", "x"}}));
}

}  // namespace
}  // namespace ternmq::scheduler::cosmos
