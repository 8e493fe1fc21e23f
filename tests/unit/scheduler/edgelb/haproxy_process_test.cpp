// Tests for haproxy_process against the real /usr/sbin/haproxy: two echo servers stand in for
// broker nodes, HAProxy balances to them on an ephemeral 127.0.0.1 port, and the tests reload,
// refuse bad configurations, lose a node, lose HAProxy itself and stop it. Every wait is on a
// condition with a generous deadline; no test asserts a duration. TearDown stops and reaps every
// HAProxy even when a test fails half-way (and the haproxy_process destructor would kill them).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <thread>

#include "scheduler/edgelb/child_process.hpp"
#include "scheduler/edgelb/haproxy_config.hpp"
#include "scheduler/edgelb/haproxy_pid_file.hpp"
#include "scheduler/edgelb/haproxy_process.hpp"
#include "tests/unit/scheduler/edgelb/echo_server.hpp"

namespace ternmq::scheduler::edgelb {
namespace {

using namespace std::chrono_literals;
using test::ask_once;
using test::echo_server;
using test::free_port;
using test::line_client;

// The TernMQ pool's shape: one TCP frontend `mqtt` to a leastconn backend of broker tasks.
pool mqtt_pool() {
  pool p;
  p.name = "ternmq-lb";
  p.frontends = {pool_frontend{"mqtt", "0.0.0.0", 1883, pool_protocol::tcp, {"timeout client 1h"}, "mqtt"}};
  p.backends = {pool_backend{"mqtt", pool_protocol::tcp, "leastconn", {"timeout server 1h"},
                             {pool_service{{"ternmq", "", "", "^node-[0-9]+-broker$"}, "mqtt"}}}};
  return p;
}

bool starts_with(const std::optional<std::string>& reply, const std::string& prefix) {
  return reply && reply->rfind(prefix, 0) == 0;
}

// Whether `pid` is gone for good: no such process, and nothing left to reap.
bool gone_and_reaped(pid_t pid) {
  const bool no_process = ::kill(pid, 0) != 0 && errno == ESRCH;
  int status = 0;
  const bool nothing_to_reap = ::waitpid(pid, &status, WNOHANG) == -1 && errno == ECHILD;
  return no_process && nothing_to_reap;
}

class HaproxyProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(TERNMQ_HAPROXY)) << TERNMQ_HAPROXY << " is not installed (scripts/setup.sh installs it)";
    std::string pattern = "/tmp/edgelb-XXXXXX";  // short: the admin socket path must fit a sockaddr_un
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    haproxy_process_options options;
    options.directory = dir_;
    options.haproxy = TERNMQ_HAPROXY;
    proc_ = std::make_unique<haproxy_process>(options);
    frontend_port_ = free_port();
    stats_port_ = free_port();
  }

  void TearDown() override {
    if (HasFailure() && !dir_.empty()) {
      std::ifstream log(dir_ / "haproxy.stderr");
      std::cerr << "---- " << (dir_ / "haproxy.stderr").string() << "\n" << log.rdbuf() << "\n----\n";
      for (const auto& e : exits_) std::cerr << e.description << (e.current ? " (current)" : "") << "\n";
    }
    if (proc_) {
      proc_->stop();
      eventually([&] { return proc_->stopped(); });
      proc_.reset();
    }
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  // haproxy.cfg balancing to `nodes` (task name -> echo server); stats on `stats_port` and the
  // admin socket at `admin_socket` if given.
  std::string config(const std::vector<std::pair<std::string, const echo_server*>>& nodes,
                     std::uint16_t stats_port = 0, const std::string& admin_socket = "") {
    std::vector<task_endpoint> tasks;
    for (const auto& [name, server] : nodes) {
      tasks.push_back(task_endpoint{"ternmq", name, {{"mqtt", {"127.0.0.1", server->port()}}}});
    }
    haproxy_settings settings;
    settings.binds.default_host = "127.0.0.1";
    settings.binds.frontends = {{"mqtt", {"127.0.0.1", frontend_port_}}};
    settings.binds.stats = bind_address{"127.0.0.1", stats_port != 0 ? stats_port : stats_port_};
    settings.admin_socket = admin_socket.empty() ? proc_->admin_socket_path() : admin_socket;
    settings.maxconn = fitting_maxconn(k_edgelb_maxconn);
    auto text = haproxy_config(mqtt_pool(), tasks, settings);
    EXPECT_TRUE(text) << text.err().message;
    return text ? *text : std::string();
  }

  // Polls the process (collecting its exits) until `condition` holds; false after `timeout`.
  bool eventually(const std::function<bool()>& condition, std::chrono::seconds timeout = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (proc_) {
        for (auto& e : proc_->poll()) exits_.push_back(std::move(e));
      }
      if (condition()) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(20ms);
    }
  }

  std::optional<std::string> ask(const std::string& line) { return ask_once(frontend_port_, line); }

  // Waits until the newest HAProxy has finished starting and a new connection reaches the node
  // tagged `tag`.
  bool settles_on(const std::string& tag) {
    return eventually([&] { return proc_->ready() && starts_with(ask("x"), tag + ":"); });
  }

  // Waits until `n` new connections in a row reach the node tagged `tag`.
  bool only_reaches(const std::string& tag, int n = 5) {
    int in_a_row = 0;
    return eventually([&] {
      in_a_row = starts_with(ask("x"), tag + ":") ? in_a_row + 1 : 0;
      return in_a_row >= n;
    });
  }

  bool exited(pid_t pid) const {
    return std::any_of(exits_.begin(), exits_.end(), [&](const haproxy_exit& e) { return e.pid == pid; });
  }

  std::filesystem::path dir_;
  std::unique_ptr<haproxy_process> proc_;
  std::uint16_t frontend_port_ = 0;
  std::uint16_t stats_port_ = 0;
  std::vector<haproxy_exit> exits_;
};

TEST_F(HaproxyProcess, ServesThroughTheFrontendAndBalancesByLeastConnections) {
  echo_server a("a"), b("b");
  ASSERT_TRUE(proc_->apply(config({{"node-0-broker", &a}, {"node-1-broker", &b}})).ok());
  EXPECT_TRUE(proc_->alive());
  ASSERT_TRUE(eventually([&] { return ask("hello").has_value(); }));

  // While one connection is open on one node, the next goes to the other.
  auto first = line_client::connect(frontend_port_, 2s);
  ASSERT_TRUE(first);
  const auto one = first->ask("one", 2s);
  auto second = line_client::connect(frontend_port_, 2s);
  ASSERT_TRUE(second);
  const auto two = second->ask("two", 2s);
  ASSERT_TRUE(one && two);
  EXPECT_TRUE((*one == "a:one" && *two == "b:two") || (*one == "b:one" && *two == "a:two")) << *one << " " << *two;

  EXPECT_EQ(std::ifstream(proc_->config_path()).good(), true);
  EXPECT_TRUE(exits_.empty());
}

TEST_F(HaproxyProcess, ReloadSendsNewConnectionsToTheNewServersAndKeepsEstablishedOnes) {
  echo_server a("a"), b("b");
  ASSERT_TRUE(proc_->apply(config({{"node-0-broker", &a}})).ok());
  ASSERT_TRUE(settles_on("a"));
  auto held = line_client::connect(frontend_port_, 2s);
  ASSERT_TRUE(held);
  ASSERT_EQ(held->ask("before", 2s), "a:before");
  const pid_t first = proc_->pid();

  ASSERT_TRUE(proc_->apply(config({{"node-1-broker", &b}})).ok());
  EXPECT_NE(proc_->pid(), first);
  // The frontend is never unbound: every connection attempt during the reload is answered.
  int refused = 0;
  EXPECT_TRUE(eventually([&] {
    const auto reply = ask("x");
    if (!reply) ++refused;
    return starts_with(reply, "b:");
  }));
  EXPECT_EQ(refused, 0);

  // The connection made before the reload is still served by the old HAProxy, to the old node.
  EXPECT_EQ(held->ask("after", 2s), "a:after");
  EXPECT_FALSE(exited(first));
  // Once its last connection closes, the old HAProxy finishes.
  held.reset();
  EXPECT_TRUE(eventually([&] { return exited(first); }));
  for (const auto& e : exits_) {
    if (e.pid == first) {
      EXPECT_TRUE(e.expected && !e.current) << e.description;
    }
  }
  EXPECT_TRUE(proc_->alive());
}

TEST_F(HaproxyProcess, ABadConfigIsRefusedAndTheRunningOneKeepsServing) {
  echo_server a("a");
  const std::string good = config({{"node-0-broker", &a}});
  ASSERT_TRUE(proc_->apply(good).ok());
  ASSERT_TRUE(settles_on("a"));
  const pid_t pid = proc_->pid();

  const auto s = proc_->apply(good + "\nbackend broken\n  no-such-keyword 1\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("no-such-keyword"), std::string::npos) << s.message();
  EXPECT_EQ(proc_->pid(), pid);
  EXPECT_EQ(proc_->current_config(), good);
  std::ifstream in(proc_->config_path());
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), good);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "haproxy.cfg.new"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "haproxy.cfg.check"));
  EXPECT_TRUE(eventually([&] { return starts_with(ask("still"), "a:still"); }));
  EXPECT_TRUE(proc_->alive());
}

TEST_F(HaproxyProcess, TheSameConfigDoesNotRestartHaproxy) {
  echo_server a("a");
  const std::string text = config({{"node-0-broker", &a}});
  ASSERT_TRUE(proc_->apply(text).ok());
  const pid_t pid = proc_->pid();
  ASSERT_TRUE(proc_->apply(text).ok());
  EXPECT_EQ(proc_->pid(), pid);
  ASSERT_TRUE(settles_on("a"));
  EXPECT_TRUE(exits_.empty());
}

TEST_F(HaproxyProcess, AStoppedNodeLeavesTheRotation) {
  echo_server a("a"), b("b");
  ASSERT_TRUE(proc_->apply(config({{"node-0-broker", &a}, {"node-1-broker", &b}})).ok());
  ASSERT_TRUE(eventually([&] { return ask("x").has_value(); }));
  a.stop();
  // The health checks take node-0 out; then every new connection reaches node-1.
  EXPECT_TRUE(only_reaches("b"));
}

TEST_F(HaproxyProcess, AnUnexpectedExitIsReportedAndApplyStartsItAgain) {
  echo_server a("a");
  const std::string text = config({{"node-0-broker", &a}});
  ASSERT_TRUE(proc_->apply(text).ok());
  ASSERT_TRUE(settles_on("a"));
  const pid_t pid = proc_->pid();

  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  ASSERT_TRUE(eventually([&] { return !proc_->alive(); }));
  ASSERT_EQ(exits_.size(), 1u);
  EXPECT_EQ(exits_[0].pid, pid);
  EXPECT_TRUE(exits_[0].current);
  EXPECT_FALSE(exits_[0].expected);
  EXPECT_NE(exits_[0].description.find("killed by signal 9"), std::string::npos) << exits_[0].description;
  EXPECT_TRUE(gone_and_reaped(pid));

  ASSERT_TRUE(proc_->apply(text).ok());
  EXPECT_NE(proc_->pid(), pid);
  EXPECT_TRUE(eventually([&] { return starts_with(ask("x"), "a:"); }));
}

TEST_F(HaproxyProcess, APortHeldByAnotherProgramIsRefusedBeforeReloading) {
  echo_server a("a");
  const std::string good = config({{"node-0-broker", &a}});
  ASSERT_TRUE(proc_->apply(good).ok());
  ASSERT_TRUE(settles_on("a"));
  const pid_t pid = proc_->pid();

  // A listener without SO_REUSEPORT: `haproxy -c` would pass, HAProxy could not bind.
  const int holder = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(address);
  ASSERT_EQ(::bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(holder, 1), 0);
  ASSERT_EQ(::getsockname(holder, reinterpret_cast<sockaddr*>(&address), &len), 0);
  const auto taken = ntohs(address.sin_port);

  const auto s = proc_->apply(config({{"node-0-broker", &a}}, taken));
  ::close(holder);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cannot bind 127.0.0.1:" + std::to_string(taken)), std::string::npos) << s.message();
  EXPECT_EQ(proc_->pid(), pid);
  EXPECT_EQ(proc_->current_config(), good);
  EXPECT_TRUE(starts_with(ask("x"), "a:"));
}

TEST_F(HaproxyProcess, AReloadThatFailsToStartLeavesTheOldOneServing) {
  echo_server a("a");
  const std::string good = config({{"node-0-broker", &a}});
  ASSERT_TRUE(proc_->apply(good).ok());
  ASSERT_TRUE(settles_on("a"));
  const pid_t old = proc_->pid();

  // An admin socket in a directory that does not exist passes the check and fails the start.
  ASSERT_TRUE(proc_->apply(config({{"node-0-broker", &a}}, 0, "/nonexistent-edgelb-dir/haproxy.sock")).ok());
  const pid_t failed = proc_->pid();
  EXPECT_TRUE(eventually([&] { return !proc_->alive(); }));
  EXPECT_TRUE(exited(failed));
  for (const auto& e : exits_) {
    if (e.pid == failed) {
      EXPECT_TRUE(e.current && !e.expected) << e.description;
    }
  }
  EXPECT_FALSE(exited(old));
  EXPECT_TRUE(eventually([&] { return starts_with(ask("x"), "a:"); }));  // the old one serves on

  // Applying a good configuration again replaces the old one.
  ASSERT_TRUE(proc_->apply(good).ok());
  EXPECT_TRUE(eventually([&] { return exited(old); }));
  EXPECT_TRUE(proc_->alive());
  EXPECT_TRUE(eventually([&] { return starts_with(ask("x"), "a:"); }));
}

TEST_F(HaproxyProcess, StopEndsEveryHaproxyAndReapsIt) {
  echo_server a("a"), b("b");
  ASSERT_TRUE(proc_->apply(config({{"node-0-broker", &a}})).ok());
  ASSERT_TRUE(settles_on("a"));
  auto held = line_client::connect(frontend_port_, 2s);  // keeps the first HAProxy finishing
  ASSERT_TRUE(held);
  ASSERT_EQ(held->ask("x", 2s), "a:x");
  const pid_t first = proc_->pid();
  ASSERT_TRUE(proc_->apply(config({{"node-1-broker", &b}})).ok());
  const pid_t second = proc_->pid();
  ASSERT_TRUE(eventually([&] { return starts_with(ask("x"), "b:"); }));

  proc_->stop();
  EXPECT_FALSE(proc_->apply(config({{"node-0-broker", &a}})).ok());  // not while stopping
  ASSERT_TRUE(eventually([&] { return proc_->stopped(); }));
  EXPECT_FALSE(proc_->alive());
  EXPECT_EQ(proc_->pid(), -1);
  EXPECT_TRUE(gone_and_reaped(first));
  EXPECT_TRUE(gone_and_reaped(second));
  EXPECT_TRUE(exited(first) && exited(second));
  for (const auto& e : exits_) EXPECT_TRUE(e.expected) << e.description;
  EXPECT_FALSE(ask("x").has_value());
}

TEST_F(HaproxyProcess, AConfigurationAppliedDuringAReloadWaitsForIt) {
  echo_server a("a"), b("b"), c("c");
  ASSERT_TRUE(proc_->apply(config({{"node-0-broker", &a}})).ok());
  const pid_t first = proc_->pid();
  // The first HAProxy has not been polled ready yet: the next configurations wait, the newest wins.
  ASSERT_TRUE(proc_->apply(config({{"node-1-broker", &b}})).ok());
  EXPECT_TRUE(proc_->reload_pending());
  EXPECT_EQ(proc_->pid(), first);
  ASSERT_TRUE(proc_->apply(config({{"node-2-broker", &c}})).ok());
  EXPECT_EQ(proc_->pid(), first);

  EXPECT_TRUE(settles_on("c"));
  EXPECT_FALSE(proc_->reload_pending());
  EXPECT_NE(proc_->pid(), first);
  EXPECT_TRUE(only_reaches("c"));
  EXPECT_TRUE(eventually([&] { return exited(first); }));
  EXPECT_EQ(exits_.size(), 1u);  // node-1's configuration was never started

  // Going back to what runs drops a waiting configuration.
  const std::string running = proc_->current_config();
  const pid_t second = proc_->pid();
  ASSERT_TRUE(proc_->apply(config({{"node-0-broker", &a}})).ok());  // starts at once: the last one is ready
  const pid_t third = proc_->pid();
  EXPECT_NE(third, second);
  ASSERT_TRUE(proc_->apply(running).ok());
  EXPECT_TRUE(proc_->reload_pending());
  ASSERT_TRUE(proc_->apply(config({{"node-0-broker", &a}})).ok());
  EXPECT_FALSE(proc_->reload_pending());
  EXPECT_TRUE(settles_on("a"));
  EXPECT_EQ(proc_->pid(), third);
}

TEST_F(HaproxyProcess, TheFirstApplyEndsAnHaproxyAnEarlierRunLeftBehind) {
  echo_server a("a"), b("b");
  // An earlier run's HAProxy, still serving its configuration from this directory.
  const std::string earlier = config({{"node-0-broker", &a}});
  std::ofstream(proc_->config_path()) << earlier;
  auto leftover = child_process::spawn({TERNMQ_HAPROXY, "-db", "-f", proc_->config_path().string()},
                                       dir_ / "leftover.log", dir_ / "leftover.log");
  ASSERT_TRUE(leftover) << leftover.err().message;
  ASSERT_TRUE(write_haproxy_pids(dir_ / "haproxy.pids", {leftover->pid()}).ok());
  ASSERT_TRUE(eventually([&] { return starts_with(ask("x"), "a:"); }));

  ASSERT_TRUE(proc_->apply(config({{"node-1-broker", &b}})).ok());
  const int status = leftover->wait_until(std::chrono::steady_clock::now() + 20s);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << describe_wait_status(status);
  EXPECT_TRUE(only_reaches("b"));
}

TEST(FittingMaxconn, StaysWithinTheFileLimit) {
  const int maxconn = fitting_maxconn(k_edgelb_maxconn);
  EXPECT_GE(maxconn, 1);
  EXPECT_LE(maxconn, k_edgelb_maxconn);
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_max != RLIM_INFINITY) {
    EXPECT_LE(2 * static_cast<rlim_t>(maxconn) + 500, limit.rlim_max);
  }
  EXPECT_EQ(fitting_maxconn(10), 10);
}

}  // namespace
}  // namespace ternmq::scheduler::edgelb
