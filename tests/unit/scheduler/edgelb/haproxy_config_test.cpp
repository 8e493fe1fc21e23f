// Tests for haproxy_config: the exact text for a small pool, bind plans, empty backends, refusals,
// and `haproxy -c` accepting what is generated from the repository's real pool template.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>

#include "scheduler/edgelb/child_process.hpp"
#include "scheduler/edgelb/edgelb_errc.hpp"
#include "scheduler/edgelb/haproxy_config.hpp"
#include "scheduler/edgelb/pool_template.hpp"
#include "tests/unit/scheduler/edgelb/repo_files.hpp"

namespace ternmq::scheduler::edgelb {
namespace {

pool two_frontend_pool() {
  pool p;
  p.name = "ternmq-lb";
  p.frontends = {
      pool_frontend{"mqtt", "0.0.0.0", 1883, pool_protocol::tcp, {"timeout client 1h"}, "mqtt"},
      pool_frontend{"websocket", "0.0.0.0", 8083, pool_protocol::tcp, {"timeout client 1h"}, "websocket"},
  };
  const mesos_selector brokers{"ternmq", "", "", "^node-[0-9]+-broker$"};
  p.backends = {
      pool_backend{"mqtt", pool_protocol::tcp, "leastconn", {"timeout server 1h"}, {pool_service{brokers, "mqtt"}}},
      pool_backend{"websocket", pool_protocol::tcp, "leastconn", {"timeout server 1h"},
                   {pool_service{brokers, "websocket"}}},
  };
  return p;
}

const std::vector<task_endpoint> k_tasks{
    {"ternmq", "node-1-broker", {{"mqtt", {"127.0.0.1", 41002}}}},
    {"ternmq", "node-0-broker", {{"mqtt", {"127.0.0.1", 41001}}}},
    {"ternmq", "node-0-broker-sidecar", {{"mqtt", {"127.0.0.1", 41009}}}},
    {"elsewhere", "node-2-broker", {{"mqtt", {"127.0.0.1", 41003}}}},
};

TEST(HaproxyConfig, ExactTextForASmallPool) {
  haproxy_settings settings;
  settings.binds.default_host = "127.0.0.1";
  settings.binds.frontends = {{"mqtt", {"127.0.0.1", 41883}}};
  settings.binds.stats = bind_address{"127.0.0.1", 49090};
  settings.admin_socket = "/run/ternmq/haproxy.sock";
  auto text = haproxy_config(two_frontend_pool(), k_tasks, settings);
  ASSERT_TRUE(text) << text.err().message;
  EXPECT_EQ(*text, R"(# haproxy.cfg for Edge-LB pool "ternmq-lb" in local mode, written by ternmq-scheduler.
# Do not edit: it is rewritten whenever the pool or the node tasks change.
global
  # Edge-LB's HAProxy template allows 10000 concurrent connections per pool instance; local
  # mode keeps that ceiling (or the host's file limit, if lower) to behave like one instance.
  maxconn 10000
  # Lets the next HAProxy take over the listening sockets on reload (-x).
  stats socket /run/ternmq/haproxy.sock mode 600 level admin expose-fd listeners

defaults
  mode tcp
  timeout connect 5s
  timeout client 30s
  timeout server 30s

frontend mqtt
  bind 127.0.0.1:41883
  mode tcp
  timeout client 1h
  default_backend mqtt

frontend websocket
  bind 127.0.0.1:8083
  mode tcp
  timeout client 1h
  default_backend websocket

backend mqtt
  mode tcp
  balance leastconn
  timeout server 1h
  server node-0-broker 127.0.0.1:41001 check inter 1s fall 2 rise 1
  server node-1-broker 127.0.0.1:41002 check inter 1s fall 2 rise 1

backend websocket
  mode tcp
  balance leastconn
  timeout server 1h

listen stats
  bind 127.0.0.1:49090
  mode http
  monitor-uri /_haproxy_health_check
  stats enable
  stats uri /
)");
}

TEST(HaproxyConfig, UnmappedListenersBindAtTheirPoolPortOnTheDefaultHost) {
  auto text = haproxy_config(two_frontend_pool(), {}, haproxy_settings{});
  ASSERT_TRUE(text) << text.err().message;
  EXPECT_NE(text->find("  bind 0.0.0.0:1883\n"), std::string::npos);
  EXPECT_NE(text->find("  bind 0.0.0.0:8083\n"), std::string::npos);
  EXPECT_NE(text->find("  bind 0.0.0.0:9090\n"), std::string::npos);
  EXPECT_EQ(text->find("stats socket"), std::string::npos);
  EXPECT_EQ(text->find("  server "), std::string::npos);  // no tasks yet: empty backends
}

TEST(HaproxyConfig, Ipv6AddressesAreBracketed) {
  haproxy_settings settings;
  settings.binds.default_host = "::1";
  const std::vector<task_endpoint> tasks{{"ternmq", "node-0-broker", {{"mqtt", {"::1", 41001}}}}};
  auto text = haproxy_config(two_frontend_pool(), tasks, settings);
  ASSERT_TRUE(text) << text.err().message;
  EXPECT_NE(text->find("  bind [::1]:1883\n"), std::string::npos);
  EXPECT_NE(text->find("  server node-0-broker [::1]:41001 check"), std::string::npos);
}

TEST(HaproxyConfig, BindPlansThatDoNotFitAreRefused) {
  const auto refused = [](const haproxy_settings& s) {
    auto r = haproxy_config(two_frontend_pool(), {}, s);
    EXPECT_FALSE(r);
    if (r) return std::string();
    EXPECT_EQ(r.err().code, static_cast<int>(edgelb_errc::invalid_settings));
    return r.err().message;
  };
  haproxy_settings s;
  s.binds.frontends = {{"mqtt-tls", {"127.0.0.1", 1}}};
  EXPECT_EQ(refused(s), "bind plan names frontend \"mqtt-tls\", which the pool does not have");
  s.binds.frontends = {{"mqtt", {"127.0.0.1", 0}}};
  EXPECT_EQ(refused(s), "frontend mqtt: port 0 is not allowed");
  s.binds.frontends = {{"mqtt", {"127.0.0.1", 9090}}};  // the stats bind 0.0.0.0:9090: every address
  EXPECT_EQ(refused(s), "stats and frontend mqtt both bind 0.0.0.0:9090");
  s.binds.frontends = {{"mqtt", {"127.0.0.1", 40000}}, {"websocket", {"127.0.0.1", 40000}}};
  EXPECT_EQ(refused(s), "frontend websocket and frontend mqtt both bind 127.0.0.1:40000");
  s.binds.frontends = {{"mqtt", {"127.0.0.1 # x", 40000}}};
  EXPECT_EQ(refused(s), "frontend mqtt: \"127.0.0.1 # x\" is not an IP address");
  s.binds.frontends = {};
  s.binds.stats = bind_address{"127.0.0.1", 1883};
  EXPECT_EQ(refused(s), "stats and frontend mqtt both bind 127.0.0.1:1883");
}

TEST(HaproxyConfig, PoolsLocalModeCannotRunAreRefused) {
  pool http = two_frontend_pool();
  http.frontends[1].protocol = pool_protocol::http;
  auto r = haproxy_config(http, {}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, static_cast<int>(edgelb_errc::invalid_pool));
  EXPECT_EQ(r.err().message, "frontend websocket: protocol HTTP is not supported in local mode (TCP only)");

  pool odd = two_frontend_pool();
  odd.backends[0].name = "stats";
  odd.frontends[0].default_backend = "stats";
  EXPECT_FALSE(haproxy_config(odd, {}, {}));
  odd.backends[0].name = "my backend";
  EXPECT_FALSE(haproxy_config(odd, {}, {}));
}

// ---- haproxy -c -----------------------------------------------------------------------------

class HaproxyCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(TERNMQ_HAPROXY)) << TERNMQ_HAPROXY << " is not installed (scripts/setup.sh installs it)";
    std::string pattern = (std::filesystem::temp_directory_path() / "edgelb-config-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  // Runs `haproxy -c` on `text`; "" when valid, else its output.
  std::string check(const std::string& text) {
    const auto cfg = dir_ / "haproxy.cfg";
    std::ofstream(cfg) << text;
    const auto log = dir_ / "check.log";
    auto child = child_process::spawn({TERNMQ_HAPROXY, "-c", "-f", cfg.string()}, log, log);
    EXPECT_TRUE(child) << child.err().message;
    if (!child) return "cannot run haproxy";
    const int status = child->wait_until(std::chrono::steady_clock::now() + std::chrono::seconds(30));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
    std::ifstream in(log);
    return std::string(std::istreambuf_iterator<char>(in), {}) + "\n" + text;
  }

  std::filesystem::path dir_;
};

TEST_F(HaproxyCheck, AcceptsTheConfigOfTheRealTemplateWithEveryListener) {
  auto p = render_pool(test::pool_template(), pool_context(test::option_set("all-listeners-tls"), {}));
  ASSERT_TRUE(p) << p.err().message;
  const std::vector<task_endpoint> tasks{
      {"ternmq", "node-0-broker", {{"mqtt", {"127.0.0.1", 41001}}, {"mqtt-tls", {"127.0.0.1", 41011}}}},
      {"ternmq", "node-1-broker", {{"mqtt", {"127.0.0.1", 41002}}}},
  };  // websocket backends stay empty
  haproxy_settings settings;
  settings.binds.default_host = "127.0.0.1";
  settings.binds.frontends = {{"mqtt", {"127.0.0.1", 41883}}};
  settings.binds.stats = bind_address{"127.0.0.1", 49090};
  settings.admin_socket = (dir_ / "haproxy.sock").string();
  auto text = haproxy_config(*p, tasks, settings);
  ASSERT_TRUE(text) << text.err().message;
  EXPECT_EQ(check(*text), "");
}

TEST_F(HaproxyCheck, AcceptsAPoolWithNoTasksYet) {
  auto p = render_pool(test::pool_template(), pool_context(test::resolved_options(), {}));
  ASSERT_TRUE(p) << p.err().message;
  auto text = haproxy_config(*p, {}, haproxy_settings{});
  ASSERT_TRUE(text) << text.err().message;
  EXPECT_EQ(check(*text), "");
}

TEST_F(HaproxyCheck, RefusesABadLineFromThePool) {
  pool p = two_frontend_pool();
  p.backends[0].misc_strs.push_back("no-such-keyword 1");
  auto text = haproxy_config(p, {}, haproxy_settings{});
  ASSERT_TRUE(text);
  EXPECT_NE(check(*text).find("no-such-keyword"), std::string::npos);
}

}  // namespace
}  // namespace ternmq::scheduler::edgelb
