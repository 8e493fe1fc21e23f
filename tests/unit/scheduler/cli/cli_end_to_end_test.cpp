// The built ternmq-cli binary against a real HTTP server in this process serving the API routes
// over the fake scheduler: output and exit codes as a user sees them, the URL from the
// environment, `--watch`, `update start`, and "cannot connect" for a closed port.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <nlohmann/json.hpp>

#include "tests/unit/scheduler/api/running_api_server.hpp"

namespace ternmq::scheduler::cli {
namespace {

using api::test_support::fake_scheduler;
using api::test_support::running_api_server;
using nlohmann::json;

struct cli_result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class CliEndToEnd : public ::testing::Test {
 protected:
  CliEndToEnd()
      : server_([this](core::http::router& r) {
          r.add("POST", "/v1/update/start", [this](const core::http::request& req) {
            *update_body_ = req.body;
            return core::http::json_response(202, R"({"message":"Update started"})");
          });
        }) {
    char pattern[] = "/tmp/ternmq-cli-test-XXXXXX";
    dir_ = ::mkdtemp(pattern);
  }
  ~CliEndToEnd() override { std::filesystem::remove_all(dir_); }

  // Runs the binary with `args` (the scheduler's URL first unless `with_url` is false) and
  // `env_prefix` (e.g. "TERNMQ_SCHEDULER_URL=... ") before it.
  cli_result cli(const std::vector<std::string>& args, bool with_url = true, const std::string& env_prefix = "") {
    std::string command = env_prefix + quoted(TERNMQ_CLI_BIN);
    if (with_url) command += " --url " + quoted(server_.url());
    for (const auto& a : args) command += " " + quoted(a);
    command += " > " + quoted(dir_ / "out") + " 2> " + quoted(dir_ / "err");
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(dir_ / "out"), read_text(dir_ / "err")};
  }

  template <class F>
  auto with_scheduler(F f) {
    return server_.with_scheduler(std::move(f));
  }

  std::shared_ptr<std::string> update_body_ = std::make_shared<std::string>();
  running_api_server server_;
  std::filesystem::path dir_;
};

TEST_F(CliEndToEnd, EndpointsListAndOneEndpoint) {
  with_scheduler([](fake_scheduler& s) {
    s.add_task(s.running_broker(0));
    s.add_task(s.running_broker(1));
  });
  cli_result r = cli({"endpoints"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "[\n  \"cluster\",\n  \"mqtt\",\n  \"websocket\"\n]\n");
  r = cli({"endpoints", "mqtt"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const json endpoint = json::parse(r.out);
  EXPECT_EQ(endpoint["address"], json::array({"10.0.0.1:1025", "10.0.0.2:1035"}));
  EXPECT_EQ(endpoint["vip"], "mqtt.ternmq.l4lb.thisdcos.directory:1883");
  EXPECT_EQ(endpoint["srv"][1], "_mqtt._ternmq-1._tcp.ternmq.mesos.");
}

TEST_F(CliEndToEnd, PlanStatusTreeAndCommands) {
  with_scheduler([](fake_scheduler& s) {
    plans::step& first = s.deploy_step(0);
    static_cast<void>(first.start() && first.on_launched() && first.on_ready());
    plans::step& second = s.deploy_step(1);
    static_cast<void>(second.start() && second.on_launched());
  });
  cli_result r = cli({"plan", "status", "deploy"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "deploy (serial strategy) (IN_PROGRESS)\n"
            "└─ node (serial strategy) (IN_PROGRESS)\n"
            "   ├─ node-0:[broker] (COMPLETE)\n"
            "   ├─ node-1:[broker] (STARTING)\n"
            "   └─ node-2:[broker] (PENDING)\n");

  r = cli({"plan", "pause", "deploy", "--phase", "node"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\n  \"message\": \"Received cmd: interrupt\"\n}\n");
  EXPECT_TRUE(with_scheduler([](fake_scheduler& s) { return s.deploy().phases()[0].interrupted(); }));

  r = cli({"plan", "force-complete", "deploy", "node", "node-2:[broker]"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["message"],
            "Received cmd: forceComplete for Plan: deploy, Phase: node, Step: node-2:[broker]");
  EXPECT_TRUE(with_scheduler([](fake_scheduler& s) { return s.deploy_step(2).is_complete(); }));

  r = cli({"plan", "start", "deploy", "-p", "REASON=test"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(with_scheduler([](fake_scheduler& s) { return s.deploy().parameters().at("REASON"); }), "test");
}

TEST_F(CliEndToEnd, HttpErrorIsExit1WithStatusAndBodyOnStderr) {
  const cli_result r = cli({"plan", "status", "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "ternmq-cli: the scheduler answered 404 to GET /v1/plans/nope:\nPlan nope not found\n");
}

TEST_F(CliEndToEnd, WatchOfACompletePlanPrintsOnceAndExits0) {
  with_scheduler([](fake_scheduler& s) { s.deploy().force_complete(); });
  const cli_result r = cli({"update", "status", "--watch"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("deploy (serial strategy) (COMPLETE)\n")) << r.out;
  EXPECT_EQ(r.out.find("deploy (", 1), std::string::npos);
}

TEST_F(CliEndToEnd, WatchOfAFailedPlanExits1) {
  with_scheduler([](fake_scheduler& s) { s.deploy().add_error("pods.node.count: cannot shrink from 3 to 2"); });
  const cli_result r = cli({"plan", "status", "deploy", "--watch"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("Errors:\n- pods.node.count: cannot shrink from 3 to 2\n"), std::string::npos) << r.out;
}

TEST_F(CliEndToEnd, PodsStatusTreeAndRestart) {
  with_scheduler([](fake_scheduler& s) { s.add_task(s.running_broker(0)); });
  cli_result r = cli({"pod", "status"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "ternmq\n"
            "└─ node\n"
            "   ├─ node-0\n"
            "   │  └─ node-0-broker (RUNNING)\n"
            "   ├─ node-1\n"
            "   └─ node-2\n");
  r = cli({"pod", "restart", "node-0"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\n  \"pod\": \"node-0\",\n  \"tasks\": [\n    \"node-0-broker\"\n  ]\n}\n");
  EXPECT_EQ(with_scheduler([](fake_scheduler& s) { return s.restarted; }), std::vector<std::string>{"node-0"});
  r = cli({"pod", "replace", "node-7"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("404"), std::string::npos);
}

TEST_F(CliEndToEnd, UpdateStartPostsTheOptionsFile) {
  const auto options = dir_ / "options.json";
  std::ofstream(options) << R"({"node": {"count": 5}, "service": {"name": "ternmq"}})";
  const cli_result r = cli({"update", "start", "--options", options.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\n  \"message\": \"Update started\"\n}\n");
  EXPECT_EQ(json::parse(with_scheduler([this](fake_scheduler&) { return *update_body_; })),
            (json{{"node", {{"count", 5}}}, {"service", {{"name", "ternmq"}}}}));
}

TEST_F(CliEndToEnd, StateAndConfigCommands) {
  with_scheduler([](fake_scheduler& s) { static_cast<void>(s.mutable_store().set_framework_id("fw-42")); });
  cli_result r = cli({"state", "framework-id"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "[\n  \"fw-42\"\n]\n");
  r = cli({"config", "target-id"});
  EXPECT_EQ(json::parse(r.out), json::array({"11111111-2222-3333-4444-555555555555"}));
  r = cli({"config", "target"});
  EXPECT_EQ(json::parse(r.out)["pods"][0]["count"], 3);
}

TEST_F(CliEndToEnd, UrlFromTheEnvironment) {
  const cli_result r = cli({"pod", "list"}, false, "TERNMQ_SCHEDULER_URL=" + quoted(server_.url()) + " ");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out), json::array({"node-0", "node-1", "node-2"}));
}

TEST_F(CliEndToEnd, ClosedPortIsExit3NamingTheUrl) {
  unsigned short port = 0;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }  // closed again: nothing listens there now
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  const cli_result r = cli({"--url", url, "plan", "list"}, false);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err, "ternmq-cli: cannot connect to the scheduler at " + url + ": Connection refused\n");
}

TEST_F(CliEndToEnd, UsageErrorIsExit2) {
  const cli_result r = cli({"plan", "frobnicate", "deploy"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "ternmq-cli: unknown command \"plan frobnicate deploy\"\nRun 'ternmq-cli --help' for usage.\n");
}

}  // namespace
}  // namespace ternmq::scheduler::cli
