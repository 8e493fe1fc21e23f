// Parsing ternmq-cli's command line into a command value, and the request each command maps to.
#include "scheduler/cli/cli_command.hpp"

#include <gtest/gtest.h>

#include "scheduler/cli/api_calls.hpp"

namespace ternmq::scheduler::cli {
namespace {

cli_command parsed(const std::vector<std::string>& args) {
  auto c = parse_command_line(args);
  EXPECT_TRUE(c) << c.err().message;
  return c ? *c : cli_command{};
}

std::string error_of(const std::vector<std::string>& args) {
  auto c = parse_command_line(args);
  return c ? "<parsed>" : c.err().message;
}

http_call call_of(const std::vector<std::string>& args) { return call_for(parsed(args)); }

TEST(CliCommand, GlobalOptionsAnywhere) {
  cli_command c = parsed({"--url", "http://h:1", "plan", "status", "deploy", "--json"});
  EXPECT_EQ(c.kind, command_kind::plan_status);
  EXPECT_EQ(c.url, "http://h:1");
  EXPECT_TRUE(c.json);
  EXPECT_EQ(c.name, "deploy");
  c = parsed({"pod", "list", "--url=http://h:2"});
  EXPECT_EQ(c.url, "http://h:2");
  EXPECT_FALSE(parsed({"endpoints"}).url);
  EXPECT_EQ(parsed({"--help"}).kind, command_kind::help);
  EXPECT_EQ(parsed({"plan", "-h"}).kind, command_kind::help);
}

TEST(CliCommand, EndpointsAndPods) {
  EXPECT_EQ(parsed({"endpoints"}).kind, command_kind::endpoints_list);
  const cli_command one = parsed({"endpoints", "mqtt"});
  EXPECT_EQ(one.kind, command_kind::endpoint_show);
  EXPECT_EQ(one.name, "mqtt");
  EXPECT_EQ(parsed({"pod", "status"}).kind, command_kind::pod_status_all);
  EXPECT_EQ(parsed({"pod", "status", "node-0"}).kind, command_kind::pod_status);
  EXPECT_EQ(parsed({"pod", "replace", "node-1"}).kind, command_kind::pod_replace);
}

TEST(CliCommand, PlanCommandsWithPhaseAndStepAsOptionsOrArguments) {
  cli_command c = parsed({"plan", "force-complete", "deploy", "--phase", "node", "--step=node-0:[broker]"});
  EXPECT_EQ(c.kind, command_kind::plan_force_complete);
  EXPECT_EQ(c.phase, "node");
  EXPECT_EQ(c.step, "node-0:[broker]");
  EXPECT_EQ(parsed({"plan", "force-complete", "deploy", "node", "node-0:[broker]"}), c);
  EXPECT_EQ(parsed({"plan", "pause", "deploy"}).kind, command_kind::plan_interrupt);
  EXPECT_EQ(parsed({"plan", "resume", "deploy", "node"}).phase, "node");
  EXPECT_EQ(parsed({"plan", "force-restart", "deploy"}).kind, command_kind::plan_restart);
  c = parsed({"plan", "start", "backup", "-p", "BUCKET=b1", "--parameter=PREFIX=x=y"});
  EXPECT_EQ(c.parameters, (std::map<std::string, std::string>{{"BUCKET", "b1"}, {"PREFIX", "x=y"}}));
  EXPECT_TRUE(parsed({"plan", "status", "deploy", "--watch"}).watch);
  EXPECT_TRUE(parsed({"update", "status", "--watch"}).watch);
}

TEST(CliCommand, UsageErrors) {
  EXPECT_EQ(error_of({}), "no command given");
  EXPECT_EQ(error_of({"plan"}), "unknown command \"plan\"");
  EXPECT_EQ(error_of({"plan", "frobnicate", "deploy"}), "unknown command \"plan frobnicate deploy\"");
  EXPECT_EQ(error_of({"plan", "status"}), "plan status: missing argument");
  EXPECT_EQ(error_of({"pod", "list", "x"}), "pod list: unexpected argument \"x\"");
  EXPECT_EQ(error_of({"pod", "list", "--watch"}), "pod list does not take --watch");
  EXPECT_EQ(error_of({"plan", "stop", "deploy", "--phase", "x"}), "plan stop does not take --phase");
  EXPECT_EQ(error_of({"plan", "stop", "deploy", "-p", "A=1"}), "plan stop does not take -p");
  EXPECT_EQ(error_of({"plan", "restart", "deploy", "--step", "s"}), "plan restart: a step needs its phase (--phase)");
  EXPECT_EQ(error_of({"plan", "restart", "deploy", "node", "--phase", "node"}),
            "plan restart: give the phase and step either as arguments or as --phase/--step");
  EXPECT_EQ(error_of({"plan", "start", "deploy", "-p", "novalue"}), "-p expects KEY=VALUE, got \"novalue\"");
  EXPECT_EQ(error_of({"--frob"}), "unknown option --frob");
  EXPECT_EQ(error_of({"pod", "list", "--url"}), "--url needs a value");
  EXPECT_EQ(error_of({"--json=yes", "pod", "list"}), "--json takes no value");
  EXPECT_EQ(error_of({"update", "start"}), "update start: --options FILE is required");
}

TEST(ApiCalls, ReadCommandsAreGets) {
  EXPECT_EQ(call_of({"endpoints"}), (http_call{"GET", "/v1/endpoints", ""}));
  EXPECT_EQ(call_of({"endpoints", "mqtt-tls"}), (http_call{"GET", "/v1/endpoints/mqtt-tls", ""}));
  EXPECT_EQ(call_of({"plan", "list"}), (http_call{"GET", "/v1/plans", ""}));
  EXPECT_EQ(call_of({"plan", "show", "deploy"}), (http_call{"GET", "/v1/plans/deploy", ""}));
  EXPECT_EQ(call_of({"update", "status"}), (http_call{"GET", "/v1/plans/deploy", ""}));
  EXPECT_EQ(call_of({"pod", "list"}), (http_call{"GET", "/v1/pod", ""}));
  EXPECT_EQ(call_of({"pod", "status"}), (http_call{"GET", "/v1/pod/status", ""}));
  EXPECT_EQ(call_of({"pod", "status", "node-0"}), (http_call{"GET", "/v1/pod/node-0/status", ""}));
  EXPECT_EQ(call_of({"pod", "info", "node-0"}), (http_call{"GET", "/v1/pod/node-0/info", ""}));
  EXPECT_EQ(call_of({"state", "framework-id"}), (http_call{"GET", "/v1/state/frameworkId", ""}));
  EXPECT_EQ(call_of({"state", "properties"}), (http_call{"GET", "/v1/state/properties", ""}));
  EXPECT_EQ(call_of({"state", "property", "a key"}), (http_call{"GET", "/v1/state/properties/a%20key", ""}));
  EXPECT_EQ(call_of({"config", "list"}), (http_call{"GET", "/v1/configurations", ""}));
  EXPECT_EQ(call_of({"config", "show", "abc"}), (http_call{"GET", "/v1/configurations/abc", ""}));
  EXPECT_EQ(call_of({"config", "target"}), (http_call{"GET", "/v1/configurations/target", ""}));
  EXPECT_EQ(call_of({"config", "target-id"}), (http_call{"GET", "/v1/configurations/targetId", ""}));
}

TEST(ApiCalls, PlanAndPodCommandsArePosts) {
  EXPECT_EQ(call_of({"plan", "start", "deploy", "-p", "A=1"}), (http_call{"POST", "/v1/plans/deploy/start", R"({"A":"1"})"}));
  EXPECT_EQ(call_of({"plan", "start", "deploy"}), (http_call{"POST", "/v1/plans/deploy/start", "{}"}));
  EXPECT_EQ(call_of({"plan", "stop", "deploy"}), (http_call{"POST", "/v1/plans/deploy/stop", ""}));
  EXPECT_EQ(call_of({"plan", "pause", "deploy", "--phase", "node"}),
            (http_call{"POST", "/v1/plans/deploy/interrupt?phase=node", ""}));
  EXPECT_EQ(call_of({"plan", "continue", "deploy"}), (http_call{"POST", "/v1/plans/deploy/continue", ""}));
  EXPECT_EQ(call_of({"plan", "restart", "deploy", "node", "node-0:[broker]"}),
            (http_call{"POST", "/v1/plans/deploy/restart?phase=node&step=node-0%3A%5Bbroker%5D", ""}));
  EXPECT_EQ(call_of({"plan", "force-complete", "deploy", "--phase", "node"}),
            (http_call{"POST", "/v1/plans/deploy/forceComplete?phase=node", ""}));
  EXPECT_EQ(call_of({"pod", "restart", "node-0"}), (http_call{"POST", "/v1/pod/node-0/restart", ""}));
  EXPECT_EQ(call_of({"pod", "replace", "node-0"}), (http_call{"POST", "/v1/pod/node-0/replace", ""}));
  EXPECT_EQ(call_for(parsed({"update", "start", "--options", "o.json"}), R"({"node":{"count":5}})"),
            (http_call{"POST", "/v1/update/start", R"({"node":{"count":5}})"}));
  EXPECT_EQ(call_for(parsed({"update", "start", "--options", "o.json", "--replace"}), R"({})"),
            (http_call{"POST", "/v1/update/start?replace=true", R"({})"}));
  EXPECT_EQ(error_of({"update", "status", "--replace"}), "update status does not take --replace");
}

TEST(ApiCalls, EscapesEverythingButUnreservedCharacters) {
  EXPECT_EQ(url_escape("node-0:[broker, init]"), "node-0%3A%5Bbroker%2C%20init%5D");
  EXPECT_EQ(url_escape("a.b_c~d"), "a.b_c~d");
  EXPECT_EQ(url_escape("x/y?z"), "x%2Fy%3Fz");
}

}  // namespace
}  // namespace ternmq::scheduler::cli
