// Whole ternmq-cli commands over a scripted transport: what is sent, what is printed, the exit
// codes, and `--watch` (polls until COMPLETE or ERROR, prints only changes, sleeps in between).
#include "scheduler/cli/cli_runner.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

namespace ternmq::scheduler::cli {
namespace {

using nlohmann::json;

json plan_of(const std::string& status, const std::vector<std::string>& steps) {
  json list = json::array();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    list.push_back({{"id", "s"}, {"name", "node-" + std::to_string(i) + ":[broker]"}, {"status", steps[i]}});
  }
  return {{"status", status},
          {"strategy", "serial"},
          {"errors", json::array()},
          {"phases", {{{"name", "node"}, {"strategy", "serial"}, {"status", status}, {"steps", list}}}}};
}

class CliRunnerTest : public ::testing::Test {
 protected:
  CliRunnerTest() {
    env_.send = [this](const scheduler_url& url, const http_call& call) -> core::result<http_reply> {
      urls_.push_back(url.text);
      calls_.push_back(call);
      if (answers_.empty()) return core::error{static_cast<int>(http_errc::cannot_connect), "cannot connect to the scheduler at " + url.text + ": Connection refused"};
      auto next = answers_.front();
      answers_.pop_front();
      return next;
    };
    env_.sleep = [this](std::chrono::milliseconds d) { slept_.push_back(d); };
    env_.getenv = [this](const std::string& name) -> std::optional<std::string> {
      const auto it = environment_.find(name);
      return it == environment_.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    env_.read_file = [this](const std::string& path) -> core::result<std::string> {
      const auto it = files_.find(path);
      if (it == files_.end()) return core::error{1, "No such file or directory"};
      return it->second;
    };
    env_.out = &out_;
    env_.err = &err_;
  }

  void answer(int status, std::string body) { answers_.push_back(http_reply{status, "application/json", std::move(body)}); }
  void unreachable() {
    answers_.push_back(core::error{static_cast<int>(http_errc::cannot_connect), "cannot connect to the scheduler at X: refused"});
  }
  int run(const std::vector<std::string>& args) { return run_cli(args, env_); }

  cli_environment env_;
  std::deque<core::result<http_reply>> answers_;
  std::vector<http_call> calls_;
  std::vector<std::string> urls_;
  std::vector<std::chrono::milliseconds> slept_;
  std::map<std::string, std::string> environment_;
  std::map<std::string, std::string> files_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CliRunnerTest, PrettyPrintsJsonAnswers) {
  answer(200, R"(["cluster","mqtt"])");
  EXPECT_EQ(run({"endpoints"}), 0);
  EXPECT_EQ(out_.str(), "[\n  \"cluster\",\n  \"mqtt\"\n]\n");
  EXPECT_EQ(urls_.at(0), "http://127.0.0.1:8080");
}

TEST_F(CliRunnerTest, UrlFromTheEnvironmentUnlessGiven) {
  environment_["TERNMQ_SCHEDULER_URL"] = "http://10.0.0.9:9999";
  answer(200, "[]");
  answer(200, "[]");
  EXPECT_EQ(run({"pod", "list"}), 0);
  EXPECT_EQ(run({"--url", "http://h:1", "pod", "list"}), 0);
  EXPECT_EQ(urls_, (std::vector<std::string>{"http://10.0.0.9:9999", "http://h:1"}));
}

TEST_F(CliRunnerTest, HttpErrorsGoToStderrWithExitCode1) {
  answers_.push_back(http_reply{404, "text/plain", "Pod node-9 not found"});
  EXPECT_EQ(run({"pod", "restart", "node-9"}), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "ternmq-cli: the scheduler answered 404 to POST /v1/pod/node-9/restart:\nPod node-9 not found\n");
}

TEST_F(CliRunnerTest, AlreadyReportedIsNotAnError) {
  answers_.push_back(http_reply{208, "text/plain", "Command has already been reported or completed"});
  EXPECT_EQ(run({"plan", "pause", "deploy"}), 0);
  EXPECT_EQ(out_.str(), "Command has already been reported or completed\n");
}

TEST_F(CliRunnerTest, UnreachableIsExitCode3NamingTheUrl) {
  EXPECT_EQ(run({"--url", "http://127.0.0.1:1", "plan", "list"}), 3);
  EXPECT_EQ(err_.str(), "ternmq-cli: cannot connect to the scheduler at http://127.0.0.1:1: Connection refused\n");
}

TEST_F(CliRunnerTest, UsageErrorsAreExitCode2AndSendNothing) {
  EXPECT_EQ(run({"plan", "status"}), 2);
  EXPECT_EQ(err_.str(), "ternmq-cli: plan status: missing argument\nRun 'ternmq-cli --help' for usage.\n");
  EXPECT_EQ(run({"--url", "ftp://x", "plan", "list"}), 2);
  EXPECT_TRUE(calls_.empty());
  EXPECT_EQ(run({"--help"}), 0);
  EXPECT_TRUE(out_.str().starts_with("Usage: ternmq-cli"));
}

TEST_F(CliRunnerTest, PlanStatusAsTreeOrJson) {
  answer(202, plan_of("IN_PROGRESS", {"COMPLETE", "PENDING"}).dump());
  EXPECT_EQ(run({"plan", "status", "deploy"}), 0);
  EXPECT_EQ(out_.str(),
            "deploy (serial strategy) (IN_PROGRESS)\n"
            "└─ node (serial strategy) (IN_PROGRESS)\n"
            "   ├─ node-0:[broker] (COMPLETE)\n"
            "   └─ node-1:[broker] (PENDING)\n");
  out_.str("");
  answer(202, plan_of("IN_PROGRESS", {"COMPLETE", "PENDING"}).dump());
  EXPECT_EQ(run({"plan", "show", "deploy", "--json"}), 0);
  EXPECT_EQ(json::parse(out_.str()), plan_of("IN_PROGRESS", {"COMPLETE", "PENDING"}));
}

TEST_F(CliRunnerTest, PlanWithErrorsIsShownAndExitsWith1) {
  json plan = plan_of("ERROR", {"ERROR"});
  plan["errors"] = {"bad config"};
  answer(417, plan.dump());
  EXPECT_EQ(run({"update", "status"}), 1);
  EXPECT_TRUE(out_.str().starts_with("deploy (serial strategy) (ERROR)\n")) << out_.str();
  EXPECT_NE(out_.str().find("Errors:\n- bad config\n"), std::string::npos);
  EXPECT_EQ(calls_.at(0).target, "/v1/plans/deploy");
}

TEST_F(CliRunnerTest, WatchPrintsChangesUntilComplete) {
  answer(202, plan_of("PENDING", {"PENDING", "PENDING"}).dump());
  answer(202, plan_of("PENDING", {"PENDING", "PENDING"}).dump());  // unchanged: not printed again
  answer(202, plan_of("IN_PROGRESS", {"STARTING", "PENDING"}).dump());
  answer(200, plan_of("COMPLETE", {"COMPLETE", "COMPLETE"}).dump());
  EXPECT_EQ(run({"plan", "status", "deploy", "--watch"}), 0);
  EXPECT_EQ(calls_.size(), 4u);
  EXPECT_EQ(slept_, (std::vector<std::chrono::milliseconds>(3, k_watch_interval)));
  const std::string out = out_.str();
  EXPECT_EQ(out.find("deploy (serial strategy) (PENDING)"), 0u);
  EXPECT_EQ(out.find("deploy (serial strategy) (PENDING)", 1), std::string::npos);
  EXPECT_NE(out.find("\ndeploy (serial strategy) (IN_PROGRESS)\n"), std::string::npos);
  EXPECT_TRUE(out.ends_with("\ndeploy (serial strategy) (COMPLETE)\n"
                            "└─ node (serial strategy) (COMPLETE)\n"
                            "   ├─ node-0:[broker] (COMPLETE)\n"
                            "   └─ node-1:[broker] (COMPLETE)\n"))
      << out;
}

TEST_F(CliRunnerTest, WatchStopsWithExit1OnError) {
  answer(202, plan_of("IN_PROGRESS", {"STARTING"}).dump());
  answer(417, plan_of("ERROR", {"ERROR"}).dump());
  EXPECT_EQ(run({"update", "status", "--watch"}), 1);
  EXPECT_EQ(slept_.size(), 1u);
}

TEST_F(CliRunnerTest, WatchWaitsForARestartingScheduler) {
  answer(202, plan_of("IN_PROGRESS", {"STARTING"}).dump());
  unreachable();
  unreachable();
  answer(200, plan_of("COMPLETE", {"COMPLETE"}).dump());
  EXPECT_EQ(run({"plan", "status", "deploy", "--watch"}), 0);
  EXPECT_EQ(err_.str(), "ternmq-cli: cannot connect to the scheduler at X: refused; waiting for the scheduler to come back\n");
  EXPECT_EQ(slept_.size(), 3u);
}

TEST_F(CliRunnerTest, WatchOfAnUnknownPlanOrUnreachableSchedulerStopsAtOnce) {
  answers_.push_back(http_reply{404, "text/plain", "Plan nope not found"});
  EXPECT_EQ(run({"plan", "status", "nope", "--watch"}), 1);
  EXPECT_EQ(run({"plan", "status", "deploy", "--watch"}), 3);  // never reached: no waiting
  EXPECT_TRUE(slept_.empty());
}

TEST_F(CliRunnerTest, PodStatusAsTree) {
  answer(200, R"({"service":"ternmq","pods":[{"name":"node","instances":[{"name":"node-0","tasks":[]}]}]})");
  EXPECT_EQ(run({"pod", "status"}), 0);
  EXPECT_EQ(out_.str(), "ternmq\n└─ node\n   └─ node-0\n");
  out_.str("");
  answer(200, R"({"name":"node-0","tasks":[{"id":"i","name":"node-0-broker","status":"RUNNING"}]})");
  EXPECT_EQ(run({"pod", "status", "node-0"}), 0);
  EXPECT_EQ(out_.str(), "node-0\n└─ node-0-broker (RUNNING)\n");
  out_.str("");
  answer(200, R"({"name":"node-0","tasks":[]})");
  EXPECT_EQ(run({"pod", "status", "node-0", "--json"}), 0);
  EXPECT_EQ(out_.str(), "{\n  \"name\": \"node-0\",\n  \"tasks\": []\n}\n");
}

TEST_F(CliRunnerTest, UpdateStartSendsTheOptionsFile) {
  files_["opts.json"] = "{ \"node\": { \"count\": 5 } }\n";
  answer(200, R"({"message":"Update started"})");
  EXPECT_EQ(run({"update", "start", "--options=opts.json"}), 0);
  EXPECT_EQ(calls_.at(0), (http_call{"POST", "/v1/update/start", R"({"node":{"count":5}})"}));
  EXPECT_EQ(out_.str(), "{\n  \"message\": \"Update started\"\n}\n");

  EXPECT_EQ(run({"update", "start", "--options", "missing.json"}), 2);
  EXPECT_NE(err_.str().find("cannot read the options file missing.json: No such file or directory"), std::string::npos);
  files_["bad.json"] = "[1]";
  EXPECT_EQ(run({"update", "start", "--options", "bad.json"}), 2);
  EXPECT_NE(err_.str().find("the options file bad.json is not a JSON object"), std::string::npos);
  EXPECT_EQ(calls_.size(), 1u);
}

}  // namespace
}  // namespace ternmq::scheduler::cli
