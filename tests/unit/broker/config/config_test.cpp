// Tests for the config module: the vernemq.conf tokenizer (`parse_conf`) and the mapping to
// `broker_config`. Errors are asserted as whole strings so their "FILE:LINE: KEY: reason" shape
// cannot drift.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "broker/config/broker_config.hpp"
#include "broker/config/conf_parser.hpp"

namespace ternmq::config {
namespace {

using namespace std::chrono_literals;

const std::string k_listener = "listener.tcp.default = 127.0.0.1:1883\n";

core::result<broker_config> parse(const std::string& text) { return parse_broker_config(text, "ternmq.conf"); }

// The error message for `text`, or a marker that makes the comparison fail if it parsed.
std::string error_of(const std::string& text) {
  auto r = parse(text);
  return r ? std::string("<parsed without error>") : r.err().message;
}

// A fresh directory under the GoogleTest temp dir, removed at the end of the test.
class temp_dir {
 public:
  temp_dir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::path(::testing::TempDir()) /
            ("ternmq_config_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  std::string write(const std::string& name, const std::string& text) const {
    const auto file = path_ / name;
    std::ofstream(file) << text;
    return file.string();
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// ---- parse_conf: the file syntax ----

TEST(ConfParser, SplitsKeyValueLinesWithLineNumbers) {
  auto doc = parse_conf("a = 1\n\nb.c=two words\n", "f.conf");
  ASSERT_TRUE(doc) << doc.err().message;
  ASSERT_EQ(doc->entries.size(), 2U);
  EXPECT_EQ(doc->entries[0], (conf_entry{"a", "1", 1}));
  EXPECT_EQ(doc->entries[1], (conf_entry{"b.c", "two words", 3}));
}

TEST(ConfParser, SkipsCommentsAndTrimsWhitespace) {
  auto doc = parse_conf("# whole line\n   # indented comment\n\t key_1 \t=\t v  # trailing\r\n  \n", "f.conf");
  ASSERT_TRUE(doc) << doc.err().message;
  ASSERT_EQ(doc->entries.size(), 1U);
  EXPECT_EQ(doc->entries[0], (conf_entry{"key_1", "v", 3}));
}

TEST(ConfParser, HashInsideAWordIsPartOfTheValue) {
  auto doc = parse_conf("distributed_cookie = a#b=c # comment\n", "f.conf");
  ASSERT_TRUE(doc) << doc.err().message;
  EXPECT_EQ(doc->entries.at(0).value, "a#b=c");
}

TEST(ConfParser, LastDuplicateWinsAndEarlierOnesAreRecorded) {
  auto doc = parse_conf("a = 1\nb = 2\na = 3\n", "f.conf");
  ASSERT_TRUE(doc) << doc.err().message;
  ASSERT_EQ(doc->entries.size(), 2U);
  EXPECT_EQ(doc->entries[0], (conf_entry{"b", "2", 2}));
  EXPECT_EQ(doc->entries[1], (conf_entry{"a", "3", 3}));
  ASSERT_EQ(doc->overridden.size(), 1U);
  EXPECT_EQ(doc->overridden[0], (conf_entry{"a", "1", 1}));
}

TEST(ConfParser, EmptyTextAndLastLineWithoutNewline) {
  auto empty = parse_conf("", "f.conf");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->entries.empty());
  auto doc = parse_conf("a = 1", "f.conf");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->entries.at(0), (conf_entry{"a", "1", 1}));
}

TEST(ConfParser, MalformedLinesAreSyntaxErrorsWithTheirLine) {
  for (const std::string bad : {"no equals sign", "= value", "key =", "key = # only a comment", "two words = 1",
                                "a..b = 1", ".a = 1", "a. = 1", "k$y = 1"}) {
    auto doc = parse_conf("ok = 1\n# comment\n" + bad + "\n", "f.conf");
    ASSERT_FALSE(doc) << bad;
    EXPECT_EQ(doc.err().message, "f.conf:3: syntax error: expected `key = value`") << bad;
    EXPECT_EQ(doc.err().code, static_cast<int>(conf_errc::syntax));
  }
}

// ---- broker_config: defaults and every key ----

TEST(BrokerConfig, MinimalFileGivesTheHeaderDefaults) {
  auto c = parse(k_listener);
  ASSERT_TRUE(c) << c.err().message;
  broker_config expected;
  expected.source_file = "ternmq.conf";
  listener_config listener;
  listener.name = "default";
  listener.address = "127.0.0.1";
  listener.port = 1883;
  expected.listeners = {listener};
  EXPECT_EQ(*c, expected);
  EXPECT_EQ(c->listeners[0].kind, transport_kind::tcp);
  EXPECT_EQ(c->listeners[0].max_connections, 10000U);
  EXPECT_EQ(c->listeners[0].allowed_protocol_versions, (std::vector<int>{3, 4, 5}));
  EXPECT_FALSE(c->listeners[0].proxy_protocol);
  EXPECT_EQ(c->listeners[0].tls, tls_settings{});
  // Authentication defaults: both plugins on, as in VerneMQ, with no files and 10 s reloads.
  EXPECT_TRUE(c->plugin_vmq_passwd);
  EXPECT_TRUE(c->plugin_vmq_acl);
  EXPECT_EQ(c->password_file, "");
  EXPECT_EQ(c->acl_file, "");
  EXPECT_EQ(c->password_reload_interval, 10s);
  EXPECT_EQ(c->acl_reload_interval, 10s);
  EXPECT_FALSE(c->subscribe_failure_unspecified);
}

TEST(BrokerConfig, EveryScalarKeyIsParsed) {
  auto c = parse(k_listener +
                 "allow_anonymous = on\n"
                 "max_client_id_size = 100\n"
                 "max_inflight_messages = 0\n"
                 "max_online_messages = -1\n"
                 "max_offline_messages = 5\n"
                 "max_message_size = 1048576\n"
                 "retry_interval = 2m\n"
                 "persistent_client_expiration = 2w\n"
                 "queue_type = lifo\n"
                 "max_message_rate = 7\n"
                 "shared_subscription_policy = local_only\n"
                 "upgrade_outgoing_qos = true\n"
                 "allow_multiple_sessions = off\n"
                 "max_drain_time = 3000ms\n"
                 "max_msgs_per_drain_step = 50\n"
                 "receive_max_broker = 100\n"
                 "topic_alias_max_broker = 10\n"
                 "topic_alias_max_client = 65535\n"
                 "max_session_expiry_interval = 3600\n"
                 "log.console = both\n"
                 "log.console.level = warning\n"
                 "log.console.file = /var/log/ternmq/console.log\n"
                 "nodename = TernMQ@10.0.0.1\n"
                 "distributed_cookie = s3cret#cookie\n"
                 "systree_enabled = off\n"
                 "systree_interval = 1h\n"
                 "metadata_plugin = vmq_plumtree\n"
                 "persistent_store_dir = /var/lib/ternmq/msgstore\n"
                 "leveldb.maximum_memory.percent = 25\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_TRUE(c->allow_anonymous);
  EXPECT_EQ(c->max_client_id_size, 100U);
  EXPECT_EQ(c->max_inflight_messages, 0U);
  EXPECT_EQ(c->max_online_messages, -1);
  EXPECT_EQ(c->max_offline_messages, 5);
  EXPECT_EQ(c->max_message_size, 1048576U);
  EXPECT_EQ(c->retry_interval, 120s);
  EXPECT_EQ(c->persistent_client_expiration, std::optional<std::chrono::seconds>(14 * 24h));
  EXPECT_EQ(c->queue, queue_type::lifo);
  EXPECT_EQ(c->max_message_rate, 7U);
  EXPECT_EQ(c->shared_policy, shared_subscription_policy::local_only);
  EXPECT_TRUE(c->upgrade_outgoing_qos);
  EXPECT_FALSE(c->allow_multiple_sessions);
  EXPECT_EQ(c->max_drain_time, 3s);
  EXPECT_EQ(c->max_msgs_per_drain_step, 50U);
  EXPECT_EQ(c->receive_max_broker, 100);
  EXPECT_EQ(c->topic_alias_max_broker, 10);
  EXPECT_EQ(c->topic_alias_max_client, 65535);
  EXPECT_EQ(c->max_session_expiry_interval, 3600U);
  EXPECT_EQ(c->log_console, "both");
  EXPECT_EQ(c->log_console_level, "warning");
  EXPECT_EQ(c->log_console_file, "/var/log/ternmq/console.log");
  EXPECT_EQ(c->nodename, "TernMQ@10.0.0.1");
  EXPECT_EQ(c->distributed_cookie, "s3cret#cookie");
  EXPECT_FALSE(c->systree_enabled);
  EXPECT_EQ(c->systree_interval, 3600s);
  EXPECT_EQ(c->metadata_plugin, "vmq_plumtree");
  EXPECT_EQ(c->persistent_store_dir, "/var/lib/ternmq/msgstore");
  EXPECT_EQ(c->leveldb_maximum_memory_percent, 25);
}

TEST(BrokerConfig, DurationsTakeUnitsAndBareNumbers) {
  const auto retry = [](const std::string& v) { return parse(k_listener + "retry_interval = " + v)->retry_interval; };
  EXPECT_EQ(retry("30"), 30s);
  EXPECT_EQ(retry("30s"), 30s);
  EXPECT_EQ(retry("2000ms"), 2s);
  EXPECT_EQ(retry("5m"), 300s);
  EXPECT_EQ(retry("2h"), 7200s);
  // systree_interval keeps VerneMQ's unit for bare numbers: milliseconds.
  EXPECT_EQ(parse(k_listener + "systree_interval = 20000")->systree_interval, 20s);
  EXPECT_EQ(parse(k_listener + "systree_interval = 0")->systree_interval, 0s);
  EXPECT_EQ(parse(k_listener + "systree_interval = 15s")->systree_interval, 15s);
}

TEST(BrokerConfig, PersistentClientExpirationUnits) {
  const auto expiry = [](const std::string& v) {
    return parse(k_listener + "persistent_client_expiration = " + v)->persistent_client_expiration;
  };
  EXPECT_EQ(expiry("never"), std::nullopt);
  EXPECT_EQ(expiry("1h"), std::optional(std::chrono::seconds(3600)));
  EXPECT_EQ(expiry("2d"), std::optional(std::chrono::seconds(2 * 86400)));
  EXPECT_EQ(expiry("1w"), std::optional(std::chrono::seconds(7 * 86400)));
  EXPECT_EQ(expiry("1m"), std::optional(std::chrono::seconds(30 * 86400)));
  EXPECT_EQ(expiry("1y"), std::optional(std::chrono::seconds(365 * 86400)));
}

TEST(BrokerConfig, LogLevelsFoldOntoCoreLogLevels) {
  const auto level = [](const std::string& v) { return parse(k_listener + "log.console.level = " + v)->log_console_level; };
  EXPECT_EQ(level("debug"), "debug");
  EXPECT_EQ(level("notice"), "info");
  EXPECT_EQ(level("critical"), "error");
  EXPECT_EQ(level("emergency"), "error");
  EXPECT_EQ(level("none"), "none");
}

TEST(BrokerConfig, SourceFileIsTheGivenName) {
  auto c = parse_broker_config(k_listener, "/etc/ternmq/ternmq.conf");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->source_file, "/etc/ternmq/ternmq.conf");
}

// ---- Listeners ----

TEST(Listeners, SeveralListenersKeepLineOrder) {
  auto c = parse("listener.tcp.internal = 10.0.0.5:11883\nlistener.tcp.default = 0.0.0.0:1883\n"
                 "listener.tcp.tests = 127.0.0.1:0\n");
  ASSERT_TRUE(c) << c.err().message;
  ASSERT_EQ(c->listeners.size(), 3U);
  EXPECT_EQ(c->listeners[0].name, "internal");
  EXPECT_EQ(c->listeners[0].address, "10.0.0.5");
  EXPECT_EQ(c->listeners[0].port, 11883);
  EXPECT_EQ(c->listeners[1].name, "default");
  EXPECT_EQ(c->listeners[2].port, 0);  // ephemeral, for tests
}

TEST(Listeners, Ipv6AddressesInBrackets) {
  auto c = parse("listener.tcp.v6 = [::1]:1883\nlistener.tcp.any6 = [::]:1884\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_EQ(c->listeners[0].address, "::1");
  EXPECT_EQ(c->listeners[0].port, 1883);
  EXPECT_EQ(c->listeners[1].address, "::");
}

// The three levels, written most specific first so line order cannot be what decides.
TEST(Listeners, HierarchyNamedOverridesTcpOverridesAllInAnyOrder) {
  auto c = parse(
      "listener.tcp.a.max_connections = 1\n"
      "listener.tcp.a.mountpoint = tenant-a/\n"
      "listener.tcp.max_connections = 2\n"
      "listener.tcp.allowed_protocol_versions = 4, 5\n"
      "listener.max_connections = 3\n"
      "listener.allowed_protocol_versions = 3\n"
      "listener.mountpoint = shared/\n"
      "listener.tcp.b.allowed_protocol_versions = 5,4,5\n"
      "listener.tcp.b = 127.0.0.1:2002\n"
      "listener.tcp.a = 127.0.0.1:2001\n");
  ASSERT_TRUE(c) << c.err().message;
  const listener_config& b = c->listeners.at(0);
  const listener_config& a = c->listeners.at(1);
  EXPECT_EQ(a.name, "a");
  EXPECT_EQ(a.max_connections, 1U);                                   // listener.tcp.a
  EXPECT_EQ(a.allowed_protocol_versions, (std::vector<int>{4, 5}));   // listener.tcp
  EXPECT_EQ(a.mountpoint, "tenant-a/");                               // listener.tcp.a
  EXPECT_EQ(b.name, "b");
  EXPECT_EQ(b.max_connections, 2U);                                   // listener.tcp
  EXPECT_EQ(b.allowed_protocol_versions, (std::vector<int>{4, 5}));   // listener.tcp.b, deduplicated
  EXPECT_EQ(b.mountpoint, "shared/");                                 // listener
}

TEST(Listeners, GlobalLevelAppliesWhenNothingMoreSpecificIsSet) {
  auto c = parse(k_listener + "listener.max_connections = infinity\nlistener.allowed_protocol_versions = 3,4\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_EQ(c->listeners[0].max_connections, 0U);  // 0 = no limit
  EXPECT_EQ(c->listeners[0].allowed_protocol_versions, (std::vector<int>{3, 4}));
}

TEST(Listeners, MountpointOffMeansNone) {
  auto c = parse(k_listener + "listener.tcp.mountpoint = x/\nlistener.tcp.default.mountpoint = off\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_EQ(c->listeners[0].mountpoint, "");
}

TEST(Listeners, AcceptorPoolSizeIsAcceptedAtEveryLevelWithoutEffect) {
  auto c = parse(k_listener + "listener.nr_of_acceptors = 10\nlistener.tcp.nr_of_acceptors = 20\n"
                              "listener.tcp.default.nr_of_acceptors = 30\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_EQ(c->listeners.size(), 1U);
  EXPECT_EQ(error_of(k_listener + "listener.nr_of_acceptors = 0\n"),
            "ternmq.conf:2: listener.nr_of_acceptors: out of range: expected 1..65535, got 0");
}

// TLS cluster links and VerneMQ's HTTP listener arrive with later features; their keys load now.
TEST(Listeners, LaterTransportsAreAcceptedAndIgnored) {
  auto c = parse(k_listener +
                 "listener.vmq.clustering = 0.0.0.0:44053\n"
                 "listener.vmqs.clustering = 0.0.0.0:44054\n"
                 "listener.vmqs.certfile = /etc/vernemq/cert.pem\n"
                 "listener.http.default = 127.0.0.1:8888\n"
                 "listener.https.default.keyfile = /etc/vernemq/key.pem\n");
  ASSERT_TRUE(c) << c.err().message;
  ASSERT_EQ(c->listeners.size(), 1U);
  EXPECT_EQ(c->listeners[0].kind, transport_kind::tcp);
}

TEST(Listeners, VmqListenerIsAClusterListener) {
  auto c = parse(k_listener + "listener.vmq.clustering = 0.0.0.0:44053\nlistener.vmq.clustering.nr_of_acceptors = 10\n"
                 "listener.vmq.spare = [::1]:0\n");
  ASSERT_TRUE(c) << c.err().message;
  ASSERT_EQ(c->cluster_listeners.size(), 2U);
  EXPECT_EQ(c->cluster_listeners[0], (cluster_listener_config{"clustering", "0.0.0.0", 44053}));
  EXPECT_EQ(c->cluster_listeners[1], (cluster_listener_config{"spare", "::1", 0}));
  EXPECT_EQ(c->listeners.size(), 1U);
  EXPECT_EQ(error_of(k_listener + "listener.vmq.clustering = somewhere\n").rfind("ternmq.conf:2: listener.vmq.clustering: ", 0),
            0U);
}

TEST(BrokerConfig, ClusteringKeysAreStored) {
  auto c = parse(k_listener + "allow_register_during_netsplit = on\nallow_publish_during_netsplit = on\n"
                 "allow_subscribe_during_netsplit = on\nallow_unsubscribe_during_netsplit = on\n"
                 "outgoing_clustering_buffer_size = 123\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_TRUE(c->allow_register_during_netsplit && c->allow_publish_during_netsplit &&
              c->allow_subscribe_during_netsplit && c->allow_unsubscribe_during_netsplit);
  EXPECT_EQ(c->outgoing_clustering_buffer_size, 123);
  auto d = parse(k_listener);
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allow_register_during_netsplit);
  EXPECT_EQ(d->outgoing_clustering_buffer_size, 10000);
}

// ---- Transports: tcp, ssl, ws and wss, each with the same three levels ----

const std::string k_ssl_files = "listener.ssl.certfile = /etc/ternmq/cert.pem\nlistener.ssl.keyfile = /etc/ternmq/key.pem\n";
const std::string k_wss_files = "listener.wss.certfile = /etc/ternmq/cert.pem\nlistener.wss.keyfile = /etc/ternmq/key.pem\n";

TEST(Transports, ToStringIsTheWordInKeys) {
  EXPECT_STREQ(to_string(transport_kind::tcp), "tcp");
  EXPECT_STREQ(to_string(transport_kind::ssl), "ssl");
  EXPECT_STREQ(to_string(transport_kind::ws), "ws");
  EXPECT_STREQ(to_string(transport_kind::wss), "wss");
}

// Names belong to a transport: four listeners called `default`, in line order.
TEST(Transports, EachTransportHasItsOwnNames) {
  auto c = parse("listener.wss.default = 0.0.0.0:8081\nlistener.tcp.default = 0.0.0.0:1883\n" + k_ssl_files +
                 k_wss_files + "listener.ssl.default = 0.0.0.0:8883\nlistener.ws.default = 0.0.0.0:8080\n");
  ASSERT_TRUE(c) << c.err().message;
  ASSERT_EQ(c->listeners.size(), 4U);
  EXPECT_EQ(c->listeners[0].kind, transport_kind::wss);
  EXPECT_EQ(c->listeners[0].port, 8081);
  EXPECT_EQ(c->listeners[1].kind, transport_kind::tcp);
  EXPECT_EQ(c->listeners[2].kind, transport_kind::ssl);
  EXPECT_EQ(c->listeners[2].port, 8883);
  EXPECT_EQ(c->listeners[3].kind, transport_kind::ws);
  for (const listener_config& l : c->listeners) EXPECT_EQ(l.name, "default");
}

// A listener of any transport satisfies the "at least one listener" rule.
TEST(Transports, AnyTransportCountsAsAListener) {
  auto ws = parse("listener.ws.default = 127.0.0.1:8080\n");
  ASSERT_TRUE(ws) << ws.err().message;
  EXPECT_EQ(ws->listeners.at(0).kind, transport_kind::ws);
  auto ssl = parse(k_ssl_files + "listener.ssl.default = 127.0.0.1:8883\n");
  ASSERT_TRUE(ssl) << ssl.err().message;
  EXPECT_EQ(ssl->listeners.at(0).kind, transport_kind::ssl);
}

// listener.X reaches every transport; listener.<transport>.X only its own; most specific first.
TEST(Transports, HierarchyIsPerTransportInAnyOrder) {
  auto c = parse(
      "listener.ws.w1.max_connections = 1\n"
      "listener.ws.mountpoint = web/\n"
      "listener.ws.max_connections = 2\n"
      "listener.tcp.mountpoint = plain/\n"
      "listener.wss.allowed_protocol_versions = 5\n"
      "listener.max_connections = 3\n"
      "listener.mountpoint = all/\n"
      "listener.allowed_protocol_versions = 4\n"
      "listener.ws.w1 = 127.0.0.1:8080\nlistener.ws.w2 = 127.0.0.1:8081\nlistener.tcp.t = 127.0.0.1:1883\n"
      "listener.wss.s = 127.0.0.1:8082\n" + k_wss_files);
  ASSERT_TRUE(c) << c.err().message;
  const listener_config& w1 = c->listeners.at(0);
  const listener_config& w2 = c->listeners.at(1);
  const listener_config& t = c->listeners.at(2);
  const listener_config& s = c->listeners.at(3);
  EXPECT_EQ(w1.max_connections, 1U);                                 // listener.ws.w1
  EXPECT_EQ(w1.mountpoint, "web/");                                  // listener.ws
  EXPECT_EQ(w1.allowed_protocol_versions, (std::vector<int>{4}));    // listener
  EXPECT_EQ(w2.max_connections, 2U);                                 // listener.ws
  EXPECT_EQ(t.max_connections, 3U);                                  // listener: ws settings stay on ws
  EXPECT_EQ(t.mountpoint, "plain/");                                 // listener.tcp
  EXPECT_EQ(s.mountpoint, "all/");                                   // listener: no wss mountpoint
  EXPECT_EQ(s.allowed_protocol_versions, (std::vector<int>{5}));     // listener.wss
}

// ---- TLS settings: ssl and wss, at listener.<transport>.X and listener.<transport>.NAME.X ----

TEST(Tls, EveryTlsSettingIsParsed) {
  auto c = parse(
      "listener.ssl.default = 0.0.0.0:8883\n"
      "listener.ssl.cafile = /etc/ternmq/ca.pem\n"
      "listener.ssl.certfile = /etc/ternmq/cert.pem\n"
      "listener.ssl.keyfile = /etc/ternmq/key.pem\n"
      "listener.ssl.ciphers = ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384\n"
      "listener.ssl.crlfile = /etc/ternmq/crl.pem\n"
      "listener.ssl.tls_version = tlsv1.3\n"
      "listener.ssl.require_certificate = on\n"
      "listener.ssl.use_identity_as_username = on\n");
  ASSERT_TRUE(c) << c.err().message;
  tls_settings expected;
  expected.cafile = "/etc/ternmq/ca.pem";
  expected.certfile = "/etc/ternmq/cert.pem";
  expected.keyfile = "/etc/ternmq/key.pem";
  expected.ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384";
  expected.crlfile = "/etc/ternmq/crl.pem";
  expected.tls_version = "tlsv1.3";
  expected.require_certificate = true;
  expected.use_identity_as_username = true;
  EXPECT_EQ(c->listeners.at(0).tls, expected);
}

TEST(Tls, DefaultsWithOnlyCertificateAndKey) {
  auto c = parse(k_ssl_files + "listener.ssl.default = 0.0.0.0:8883\n");
  ASSERT_TRUE(c) << c.err().message;
  const tls_settings& tls = c->listeners.at(0).tls;
  EXPECT_EQ(tls.tls_version, "tlsv1.2");
  EXPECT_EQ(tls.cafile, "");
  EXPECT_EQ(tls.ciphers, "");
  EXPECT_EQ(tls.crlfile, "");
  EXPECT_FALSE(tls.require_certificate);
  EXPECT_FALSE(tls.use_identity_as_username);
  EXPECT_FALSE(c->listeners.at(0).proxy_protocol);
}

// Per-listener TLS settings override the transport's, whatever the line order; ssl settings do
// not reach wss listeners and the other way round.
TEST(Tls, NamedOverridesTransportInAnyOrderAndTransportsStayApart) {
  auto c = parse(
      "listener.ssl.b.certfile = /etc/ternmq/b-cert.pem\n"
      "listener.ssl.b.tls_version = tlsv1.3\n"
      "listener.wss.w.keyfile = /etc/ternmq/w-key.pem\n"
      "listener.ssl.certfile = /etc/ternmq/cert.pem\n"
      "listener.ssl.keyfile = /etc/ternmq/key.pem\n"
      "listener.wss.certfile = /etc/ternmq/web-cert.pem\n"
      "listener.wss.keyfile = /etc/ternmq/web-key.pem\n"
      "listener.ssl.a = 127.0.0.1:8883\nlistener.ssl.b = 127.0.0.1:8884\nlistener.wss.w = 127.0.0.1:8443\n");
  ASSERT_TRUE(c) << c.err().message;
  const tls_settings& a = c->listeners.at(0).tls;
  const tls_settings& b = c->listeners.at(1).tls;
  const tls_settings& w = c->listeners.at(2).tls;
  EXPECT_EQ(a.certfile, "/etc/ternmq/cert.pem");
  EXPECT_EQ(a.keyfile, "/etc/ternmq/key.pem");
  EXPECT_EQ(a.tls_version, "tlsv1.2");
  EXPECT_EQ(b.certfile, "/etc/ternmq/b-cert.pem");
  EXPECT_EQ(b.keyfile, "/etc/ternmq/key.pem");
  EXPECT_EQ(b.tls_version, "tlsv1.3");
  EXPECT_EQ(w.certfile, "/etc/ternmq/web-cert.pem");
  EXPECT_EQ(w.keyfile, "/etc/ternmq/w-key.pem");
}

// Certificate and key may be given only per listener, with nothing at the transport level.
TEST(Tls, CertificateMayBeGivenOnlyPerListener) {
  auto c = parse("listener.wss.w.keyfile = /k.pem\nlistener.wss.w = 127.0.0.1:8443\nlistener.wss.w.certfile = /c.pem\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_EQ(c->listeners.at(0).tls.certfile, "/c.pem");
  EXPECT_EQ(c->listeners.at(0).tls.keyfile, "/k.pem");
}

// The parser takes paths as written; the server opens them and names a missing one.
TEST(Tls, FilesAreNotCheckedForExistence) {
  auto c = parse("listener.ssl.default = 127.0.0.1:8883\nlistener.ssl.certfile = /no/such/cert.pem\n"
                 "listener.ssl.keyfile = relative/key.pem\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_EQ(c->listeners.at(0).tls.keyfile, "relative/key.pem");
}

TEST(Tls, PlainListenersKeepDefaultTlsSettings) {
  auto c = parse(k_listener + k_ssl_files + "listener.ssl.default = 127.0.0.1:8883\nlistener.ws.default = 127.0.0.1:8080\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_EQ(c->listeners.at(0).tls, tls_settings{});
  EXPECT_EQ(c->listeners.at(2).tls, tls_settings{});
}

// ---- PROXY protocol: tcp and ws ----

TEST(Proxy, SettingsApplyToTcpAndWsAtEveryLevel) {
  auto c = parse(
      "listener.tcp.b.proxy_protocol = off\n"
      "listener.tcp.proxy_protocol = on\n"
      "listener.tcp.proxy_protocol_use_cn_as_username = on\n"
      "listener.ws.w.proxy_protocol = on\n"
      "listener.tcp.a = 127.0.0.1:1883\nlistener.tcp.b = 127.0.0.1:1884\nlistener.ws.w = 127.0.0.1:8080\n"
      "listener.ws.v = 127.0.0.1:8081\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_TRUE(c->listeners.at(0).proxy_protocol);
  EXPECT_TRUE(c->listeners.at(0).proxy_protocol_use_cn_as_username);
  EXPECT_FALSE(c->listeners.at(1).proxy_protocol);
  EXPECT_TRUE(c->listeners.at(1).proxy_protocol_use_cn_as_username);
  EXPECT_TRUE(c->listeners.at(2).proxy_protocol);
  EXPECT_FALSE(c->listeners.at(2).proxy_protocol_use_cn_as_username);
  EXPECT_FALSE(c->listeners.at(3).proxy_protocol);
}

// listener.proxy_protocol reaches tcp and ws listeners. TLS listeners never take proxy settings;
// off, or the CN setting, at this level is harmless to them.
TEST(Proxy, AllListenersLevelReachesPlainListenersOnly) {
  auto c = parse(k_listener + "listener.ws.default = 127.0.0.1:8080\nlistener.proxy_protocol = on\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_TRUE(c->listeners.at(0).proxy_protocol);
  EXPECT_TRUE(c->listeners.at(1).proxy_protocol);
  auto with_tls = parse(k_listener + k_ssl_files +
                        "listener.ssl.default = 127.0.0.1:8883\nlistener.proxy_protocol = off\n"
                        "listener.proxy_protocol_use_cn_as_username = on\n");
  ASSERT_TRUE(with_tls) << with_tls.err().message;
  EXPECT_TRUE(with_tls->listeners.at(0).proxy_protocol_use_cn_as_username);
  EXPECT_FALSE(with_tls->listeners.at(1).proxy_protocol_use_cn_as_username);
}

// ---- Authentication and authorization keys ----

TEST(Auth, EveryKeyIsParsed) {
  auto c = parse(k_listener +
                 "plugins.vmq_passwd = off\n"
                 "plugins.vmq_acl = off\n"
                 "vmq_passwd.password_file = /etc/ternmq/vmq.passwd\n"
                 "vmq_passwd.password_reload_interval = 0\n"
                 "vmq_acl.acl_file = /etc/ternmq/vmq.acl\n"
                 "vmq_acl.acl_reload_interval = 2m\n"
                 "acl.subscribe_failure_reason = unspecified\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_FALSE(c->plugin_vmq_passwd);
  EXPECT_FALSE(c->plugin_vmq_acl);
  EXPECT_EQ(c->password_file, "/etc/ternmq/vmq.passwd");
  EXPECT_EQ(c->password_reload_interval, 0s);  // 0 = no reloading
  EXPECT_EQ(c->acl_file, "/etc/ternmq/vmq.acl");
  EXPECT_EQ(c->acl_reload_interval, 120s);
  EXPECT_TRUE(c->subscribe_failure_unspecified);
}

TEST(Auth, ReloadIntervalBareNumberIsSecondsAndSubscribeReasonDefault) {
  auto c = parse(k_listener + "vmq_passwd.password_reload_interval = 30\nvmq_acl.acl_reload_interval = 5000ms\n"
                              "acl.subscribe_failure_reason = not_authorized\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_EQ(c->password_reload_interval, 30s);
  EXPECT_EQ(c->acl_reload_interval, 5s);
  EXPECT_FALSE(c->subscribe_failure_unspecified);
}

TEST(Auth, OtherPluginsAreAcceptedAndIgnored) {
  auto c = parse(k_listener + "plugins.vmq_diversity = on\nplugins.vmq_passwd.priority = 2\nplugins.my_plugin.path = /x\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_TRUE(c->plugin_vmq_passwd);
}

// ---- Errors: every one reads "FILE:LINE: KEY: reason" ----

TEST(Errors, UnknownKey) {
  EXPECT_EQ(error_of(k_listener + "max_inflight_mesages = 20\n"), "ternmq.conf:2: max_inflight_mesages: unknown key");
  EXPECT_EQ(error_of(k_listener + "include = other.conf\n"), "ternmq.conf:2: include: unknown key");
  EXPECT_EQ(error_of(k_listener + "listener.tcp.default.backlog = 5\n"),
            "ternmq.conf:2: listener.tcp.default.backlog: unknown key");
  EXPECT_EQ(error_of(k_listener + "listener.udp.default = 0.0.0.0:1\n"), "ternmq.conf:2: listener.udp.default: unknown key");
  EXPECT_EQ(error_of(k_listener + "listener.tcp.default.mountpoint.extra = x\n"),
            "ternmq.conf:2: listener.tcp.default.mountpoint.extra: unknown key");
  EXPECT_EQ(parse(k_listener + "nope = 1").err().code, static_cast<int>(conf_errc::invalid_value));
}

TEST(Errors, BadInteger) {
  EXPECT_EQ(error_of(k_listener + "max_inflight_messages = abc\n"),
            "ternmq.conf:2: max_inflight_messages: expected a non-negative integer, got \"abc\"");
  EXPECT_EQ(error_of(k_listener + "max_client_id_size = 1.5\n"),
            "ternmq.conf:2: max_client_id_size: expected a positive integer, got \"1.5\"");
  EXPECT_EQ(error_of(k_listener + "max_offline_messages = lots\n"),
            "ternmq.conf:2: max_offline_messages: expected an integer, got \"lots\"");
}

TEST(Errors, OutOfRange) {
  EXPECT_EQ(error_of(k_listener + "max_client_id_size = 70000\n"),
            "ternmq.conf:2: max_client_id_size: out of range: expected 1..65535, got 70000");
  EXPECT_EQ(error_of(k_listener + "max_online_messages = -2\n"),
            "ternmq.conf:2: max_online_messages: out of range: expected at least -1, got -2");
  EXPECT_EQ(error_of(k_listener + "max_inflight_messages = -1\n"),
            "ternmq.conf:2: max_inflight_messages: out of range: expected 0..4294967295, got -1");
  EXPECT_EQ(error_of(k_listener + "receive_max_broker = 0\n"),
            "ternmq.conf:2: receive_max_broker: out of range: expected 1..65535, got 0");
  EXPECT_EQ(error_of(k_listener + "leveldb.maximum_memory.percent = 101\n"),
            "ternmq.conf:2: leveldb.maximum_memory.percent: out of range: expected 1..100, got 101");
  EXPECT_EQ(error_of(k_listener + "max_session_expiry_interval = 4294967296\n"),
            "ternmq.conf:2: max_session_expiry_interval: out of range: expected 0..4294967295, got 4294967296");
  EXPECT_EQ(error_of(k_listener + "max_message_size = 99999999999999999999\n"),
            "ternmq.conf:2: max_message_size: out of range: expected 0..4294967295, got 99999999999999999999");
}

TEST(Errors, BadFlag) {
  EXPECT_EQ(error_of(k_listener + "allow_anonymous = yes\n"),
            "ternmq.conf:2: allow_anonymous: expected on or off, got \"yes\"");
  EXPECT_EQ(error_of(k_listener + "allow_publish_during_netsplit = maybe\n"),
            "ternmq.conf:2: allow_publish_during_netsplit: expected on or off, got \"maybe\"");
}

TEST(Errors, BadEnum) {
  EXPECT_EQ(error_of(k_listener + "queue_type = stack\n"),
            "ternmq.conf:2: queue_type: expected one of fifo, lifo, got \"stack\"");
  EXPECT_EQ(error_of(k_listener + "shared_subscription_policy = roundrobin\n"),
            "ternmq.conf:2: shared_subscription_policy: expected one of prefer_local, random, local_only, got "
            "\"roundrobin\"");
  EXPECT_EQ(error_of(k_listener + "log.console = syslog\n"),
            "ternmq.conf:2: log.console: expected one of off, file, console, both, got \"syslog\"");
  EXPECT_EQ(error_of(k_listener + "queue_deliver_mode = all\n"),
            "ternmq.conf:2: queue_deliver_mode: expected one of fanout, balance, got \"all\"");
}

TEST(Errors, BadDurationAndExpiration) {
  EXPECT_EQ(error_of(k_listener + "retry_interval = 10 s\n"),
            "ternmq.conf:2: retry_interval: expected a duration such as 20 (seconds), 20s, 5m or 1h, got \"10 s\"");
  EXPECT_EQ(error_of(k_listener + "retry_interval = 0\n"),
            "ternmq.conf:2: retry_interval: out of range: expected 1s..4294967295s, got 0");
  EXPECT_EQ(error_of(k_listener + "max_drain_time = 1500ms\n"),
            "ternmq.conf:2: max_drain_time: expected whole seconds, got \"1500ms\"");
  EXPECT_EQ(error_of(k_listener + "systree_interval = 1d\n"),
            "ternmq.conf:2: systree_interval: expected a duration such as 20000 (milliseconds), 20s, 5m or 1h, got "
            "\"1d\"");
  EXPECT_EQ(error_of(k_listener + "persistent_client_expiration = 3x\n"),
            "ternmq.conf:2: persistent_client_expiration: expected never or a count followed by h, d, w, m or y "
            "(such as 1w), got \"3x\"");
  EXPECT_EQ(error_of(k_listener + "persistent_client_expiration = 0d\n"),
            "ternmq.conf:2: persistent_client_expiration: out of range: expected 1 to 4294967295 seconds in all, "
            "got \"0d\"");
  EXPECT_EQ(error_of(k_listener + "persistent_client_expiration = 137y\n"),
            "ternmq.conf:2: persistent_client_expiration: out of range: expected 1 to 4294967295 seconds in all, "
            "got \"137y\"");
}

TEST(Errors, BadListenerValues) {
  EXPECT_EQ(error_of("listener.tcp.default = 127.0.0.1\n"),
            "ternmq.conf:1: listener.tcp.default: expected IP:PORT such as 127.0.0.1:1883 or [::1]:1883, got "
            "\"127.0.0.1\"");
  EXPECT_EQ(error_of("listener.tcp.default = 300.0.0.1:1883\n"),
            "ternmq.conf:1: listener.tcp.default: expected IP:PORT such as 127.0.0.1:1883 or [::1]:1883, got "
            "\"300.0.0.1:1883\"");
  EXPECT_EQ(error_of("listener.tcp.default = ::1:1883\n"),
            "ternmq.conf:1: listener.tcp.default: an IPv6 address needs brackets, such as [::1]:1883, got \"::1:1883\"");
  EXPECT_EQ(error_of("listener.tcp.default = 127.0.0.1:65536\n"),
            "ternmq.conf:1: listener.tcp.default: expected a port in 0..65535, got \"127.0.0.1:65536\"");
  EXPECT_EQ(error_of(k_listener + "listener.tcp.allowed_protocol_versions = 3,6\n"),
            "ternmq.conf:2: listener.tcp.allowed_protocol_versions: expected a comma-separated list of 3, 4 and 5, "
            "got \"3,6\"");
  EXPECT_EQ(error_of(k_listener + "listener.max_connections = lots\n"),
            "ternmq.conf:2: listener.max_connections: expected a non-negative integer or infinity, got \"lots\"");
  EXPECT_EQ(error_of(k_listener + "listener.tcp.default.mountpoint = a/+/\n"),
            "ternmq.conf:2: listener.tcp.default.mountpoint: a mountpoint cannot contain + or #");
  EXPECT_EQ(error_of(k_listener + "listener.ws.proxy_protocol = yes\n"),
            "ternmq.conf:2: listener.ws.proxy_protocol: expected on or off, got \"yes\"");
}

// The listener binds the address as written, so a host name (which may resolve to several
// addresses) is refused with its own message.
TEST(Errors, ListenerAddressMustBeAnIpLiteral) {
  EXPECT_EQ(error_of("listener.tcp.default = localhost:1883\n"),
            "ternmq.conf:1: listener.tcp.default: expected an IP address, not a host name, such as 127.0.0.1:1883 or "
            "[::1]:1883, got \"localhost:1883\"");
  EXPECT_EQ(error_of("listener.ws.default = broker.example.com:8080\n"),
            "ternmq.conf:1: listener.ws.default: expected an IP address, not a host name, such as 127.0.0.1:1883 or "
            "[::1]:1883, got \"broker.example.com:8080\"");
}

// A name equal to a setting is read as the setting, so the address is rejected as its value.
TEST(Errors, ListenerNameCannotBeASettingName) {
  EXPECT_EQ(error_of("listener.tcp.max_connections = 127.0.0.1:1883\n"),
            "ternmq.conf:1: listener.tcp.max_connections: expected a non-negative integer or infinity, got "
            "\"127.0.0.1:1883\"");
}

TEST(Errors, SettingForMissingListener) {
  EXPECT_EQ(error_of(k_listener + "# the name is misspelt\nlistener.tcp.defualt.max_connections = 5\n"),
            "ternmq.conf:3: listener.tcp.defualt.max_connections: no tcp listener named defualt");
}

TEST(Errors, DuplicateListenerAddress) {
  EXPECT_EQ(error_of(k_listener + "listener.tcp.again = 127.0.0.1:1883\n"),
            "ternmq.conf:2: listener.tcp.again: address already used by listener.tcp.default");
  EXPECT_TRUE(parse("listener.tcp.a = 127.0.0.1:0\nlistener.tcp.b = 127.0.0.1:0\n"));  // ephemeral ports differ
}

TEST(Errors, NoListener) {
  EXPECT_EQ(error_of("allow_anonymous = on\n"), "ternmq.conf: no listener: add listener.tcp.default = 127.0.0.1:1883");
  // Cluster and HTTP listeners do not count: they carry no MQTT clients.
  EXPECT_EQ(error_of("listener.vmq.clustering = 0.0.0.0:44053\nlistener.http.default = 127.0.0.1:8888\n"),
            "ternmq.conf: no listener: add listener.tcp.default = 127.0.0.1:1883");
}

TEST(Errors, AllowMultipleSessionsOnIsNotSupported) {
  EXPECT_EQ(error_of(k_listener + "allow_multiple_sessions = on\n"),
            "ternmq.conf:2: allow_multiple_sessions: not supported: a client id has at most one session (set it to "
            "off)");
}

TEST(Errors, SyntaxErrorNamesTheLine) {
  EXPECT_EQ(error_of(k_listener + "\n# fine\nallow_anonymous on\n"), "ternmq.conf:4: syntax error: expected `key = value`");
}

TEST(Errors, NodenameNeedsNameAtHost) {
  EXPECT_EQ(error_of(k_listener + "nodename = ternmq\n"), "ternmq.conf:2: nodename: expected NAME@HOST, got \"ternmq\"");
}

TEST(Errors, FileLoggingNeedsAFile) {
  EXPECT_EQ(error_of(k_listener + "log.console = file\n"),
            "ternmq.conf:2: log.console: writing to a file needs log.console.file to be set");
  EXPECT_TRUE(parse(k_listener + "log.console = file\nlog.console.file = ./log/console.log\n"));
}

TEST(Errors, FirstBadLineIsReported) {
  EXPECT_EQ(error_of("queue_type = x\n" + k_listener + "allow_anonymous = x\n"),
            "ternmq.conf:1: queue_type: expected one of fifo, lifo, got \"x\"");
}

TEST(Errors, DuplicateKeyLastWinsSoAnEarlierBadValueIsNotAnError) {
  auto c = parse(k_listener + "max_inflight_messages = abc\nmax_inflight_messages = 7\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_EQ(c->max_inflight_messages, 7U);
}

// ---- Errors: transports, TLS, PROXY protocol, authentication ----

TEST(Errors, TlsSettingOnPlainListener) {
  EXPECT_EQ(error_of(k_listener + "listener.tcp.certfile = /etc/ternmq/cert.pem\n"),
            "ternmq.conf:2: listener.tcp.certfile: tls setting on a non-TLS listener");
  EXPECT_EQ(error_of(k_listener + "listener.tcp.default.require_certificate = on\n"),
            "ternmq.conf:2: listener.tcp.default.require_certificate: tls setting on a non-TLS listener");
  EXPECT_EQ(error_of("listener.ws.default = 127.0.0.1:8080\nlistener.ws.tls_version = tlsv1.3\n"),
            "ternmq.conf:2: listener.ws.tls_version: tls setting on a non-TLS listener");
  EXPECT_EQ(error_of("listener.ws.default = 127.0.0.1:8080\nlistener.ws.default.keyfile = k.pem\n"),
            "ternmq.conf:2: listener.ws.default.keyfile: tls setting on a non-TLS listener");
}

// VerneMQ has no listener.certfile and friends: a certificate is chosen per transport or listener.
TEST(Errors, TlsSettingForAllListeners) {
  EXPECT_EQ(error_of(k_listener + "listener.certfile = /etc/ternmq/cert.pem\n"),
            "ternmq.conf:2: listener.certfile: tls settings are set per transport, such as listener.ssl.certfile or "
            "listener.wss.certfile");
}

TEST(Errors, ProxyProtocolOnTlsListener) {
  EXPECT_EQ(error_of(k_listener + "listener.ssl.proxy_protocol = on\n"),
            "ternmq.conf:2: listener.ssl.proxy_protocol: proxy_protocol is not supported on ssl listeners; terminate "
            "TLS at the proxy or use tcp");
  EXPECT_EQ(error_of(k_listener + "listener.wss.default.proxy_protocol = off\n"),
            "ternmq.conf:2: listener.wss.default.proxy_protocol: proxy_protocol is not supported on wss listeners; "
            "terminate TLS at the proxy or use ws");
  EXPECT_EQ(error_of(k_listener + "listener.ssl.proxy_protocol_use_cn_as_username = on\n"),
            "ternmq.conf:2: listener.ssl.proxy_protocol_use_cn_as_username: proxy_protocol_use_cn_as_username is not "
            "supported on ssl listeners; use_identity_as_username takes the CN from the client certificate");
}

// listener.proxy_protocol = on would reach an ssl listener: the error names that line.
TEST(Errors, ProxyProtocolForAllListenersWithATlsListener) {
  EXPECT_EQ(error_of(k_listener + "listener.proxy_protocol = on\n" + k_ssl_files +
                     "listener.ssl.secure = 127.0.0.1:8883\n"),
            "ternmq.conf:2: listener.proxy_protocol: proxy_protocol is not supported on ssl listeners; terminate TLS "
            "at the proxy or use tcp (listener.ssl.secure would inherit this line: set listener.tcp.proxy_protocol "
            "or listener.ws.proxy_protocol instead)");
}

TEST(Errors, TlsListenerNeedsCertfileAndKeyfile) {
  EXPECT_EQ(error_of(k_listener + "listener.ssl.keyfile = /k.pem\nlistener.ssl.default = 127.0.0.1:8883\n"),
            "ternmq.conf:3: listener.ssl.default: an ssl listener needs certfile: set listener.ssl.certfile or "
            "listener.ssl.default.certfile");
  EXPECT_EQ(error_of("listener.wss.web = 127.0.0.1:8443\nlistener.wss.web.certfile = /c.pem\n"),
            "ternmq.conf:1: listener.wss.web: a wss listener needs keyfile: set listener.wss.keyfile or "
            "listener.wss.web.keyfile");
  // The ssl files do not serve a wss listener.
  EXPECT_EQ(error_of(k_ssl_files + "listener.wss.default = 127.0.0.1:8443\n"),
            "ternmq.conf:3: listener.wss.default: a wss listener needs certfile: set listener.wss.certfile or "
            "listener.wss.default.certfile");
}

TEST(Errors, BadTlsValues) {
  EXPECT_EQ(error_of(k_listener + "listener.ssl.tls_version = tlsv1.1\n"),
            "ternmq.conf:2: listener.ssl.tls_version: TLS 1.2 is the lowest version supported");
  EXPECT_EQ(error_of(k_listener + "listener.wss.default.tls_version = tlsv1\n"),
            "ternmq.conf:2: listener.wss.default.tls_version: TLS 1.2 is the lowest version supported");
  EXPECT_EQ(error_of(k_listener + "listener.ssl.tls_version = sslv3\n"),
            "ternmq.conf:2: listener.ssl.tls_version: expected one of tlsv1.2, tlsv1.3, got \"sslv3\"");
  EXPECT_EQ(error_of(k_listener + "listener.ssl.certfile = \"\"\n"),
            "ternmq.conf:2: listener.ssl.certfile: expected a file path, got an empty value");
  EXPECT_EQ(error_of(k_listener + "listener.ssl.ciphers = ''\n"),
            "ternmq.conf:2: listener.ssl.ciphers: expected an OpenSSL cipher list such as ECDHE-RSA-AES256-GCM-SHA384, "
            "got an empty value");
  EXPECT_EQ(error_of(k_listener + "listener.ssl.require_certificate = required\n"),
            "ternmq.conf:2: listener.ssl.require_certificate: expected on or off, got \"required\"");
}

TEST(Errors, ClientCertificateRules) {
  EXPECT_EQ(error_of(k_ssl_files + "listener.ssl.default = 127.0.0.1:8883\nlistener.ssl.require_certificate = on\n"),
            "ternmq.conf:3: listener.ssl.default: require_certificate needs cafile, the CA that signs client "
            "certificates: set listener.ssl.cafile or listener.ssl.default.cafile");
  EXPECT_EQ(error_of(k_ssl_files + "listener.ssl.default = 127.0.0.1:8883\nlistener.ssl.use_identity_as_username = on\n"),
            "ternmq.conf:3: listener.ssl.default: use_identity_as_username needs require_certificate = on, or clients "
            "may have no certificate");
}

// VerneMQ listener settings TernMQ does not implement are refused, not silently dropped (a
// dropped `depth` would accept longer certificate chains than the operator asked for).
TEST(Errors, UnsupportedVernemqListenerSettings) {
  EXPECT_EQ(error_of(k_listener + "listener.ssl.depth = 3\n"),
            "ternmq.conf:2: listener.ssl.depth: not supported: TernMQ has no equivalent of VerneMQ's depth");
  EXPECT_EQ(error_of(k_listener + "listener.ssl.default.eccs = secp384r1\n"),
            "ternmq.conf:2: listener.ssl.default.eccs: not supported: TernMQ has no equivalent of VerneMQ's eccs");
  EXPECT_EQ(error_of(k_listener + "listener.tcp.buffer_sizes = 4096,16384,32768\n"),
            "ternmq.conf:2: listener.tcp.buffer_sizes: not supported: TernMQ has no equivalent of VerneMQ's "
            "buffer_sizes");
}

// Names are per transport: a tcp listener called `default` does not make listener.ssl.default exist.
TEST(Errors, NamedSettingNeedsAListenerOfTheSameTransport) {
  EXPECT_EQ(error_of(k_listener + "listener.ssl.default.certfile = /c.pem\n"),
            "ternmq.conf:2: listener.ssl.default.certfile: no ssl listener named default");
  EXPECT_EQ(error_of(k_listener + "listener.ws.default.max_connections = 5\n"),
            "ternmq.conf:2: listener.ws.default.max_connections: no ws listener named default");
}

TEST(Errors, DuplicateAddressAcrossTransports) {
  EXPECT_EQ(error_of(k_listener + "listener.ws.default = 127.0.0.1:1883\n"),
            "ternmq.conf:2: listener.ws.default: address already used by listener.tcp.default");
  EXPECT_TRUE(parse("listener.tcp.a = 127.0.0.1:0\nlistener.ws.a = 127.0.0.1:0\n"));
}

TEST(Errors, BadAuthValues) {
  EXPECT_EQ(error_of(k_listener + "plugins.vmq_passwd = enabled\n"),
            "ternmq.conf:2: plugins.vmq_passwd: expected on or off, got \"enabled\"");
  EXPECT_EQ(error_of(k_listener + "vmq_acl.acl_reload_interval = soon\n"),
            "ternmq.conf:2: vmq_acl.acl_reload_interval: expected a duration such as 20 (seconds), 20s, 5m or 1h, got "
            "\"soon\"");
  EXPECT_EQ(error_of(k_listener + "vmq_passwd.password_file = \"\"\n"),
            "ternmq.conf:2: vmq_passwd.password_file: expected a file path, got an empty value");
  EXPECT_EQ(error_of(k_listener + "acl.subscribe_failure_reason = denied\n"),
            "ternmq.conf:2: acl.subscribe_failure_reason: expected one of not_authorized, unspecified, got \"denied\"");
}

TEST(Errors, UnknownAuthKeys) {
  EXPECT_EQ(error_of(k_listener + "vmq_passwd.passwd_file = x\n"), "ternmq.conf:2: vmq_passwd.passwd_file: unknown key");
  EXPECT_EQ(error_of(k_listener + "vmq_acl.file = x\n"), "ternmq.conf:2: vmq_acl.file: unknown key");
  EXPECT_EQ(error_of(k_listener + "acl.publish_failure_reason = x\n"),
            "ternmq.conf:2: acl.publish_failure_reason: unknown key");
}

// ---- Comments, whitespace, and what VerneMQ users bring ----

TEST(BrokerConfig, CommentsAndWhitespaceAreIgnored) {
  auto c = parse("# TernMQ\n\n   listener.tcp.default   =   127.0.0.1:1883   # local only\r\n"
                 "\t\tallow_anonymous=on\t# trailing\n\n# end\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_TRUE(c->allow_anonymous);
  EXPECT_EQ(c->listeners.at(0).port, 1883);
  // Without whitespace before it, `#` is part of the value, which is then not a flag.
  EXPECT_EQ(error_of(k_listener + "allow_anonymous = on#off\n"),
            "ternmq.conf:2: allow_anonymous: expected on or off, got \"on#off\"");
}

// Keys from a VerneMQ 1.x vernemq.conf load, with no effect where we have no feature yet.
TEST(BrokerConfig, TypicalVernemqConfLoads) {
  auto c = parse(
      "accept_eula = yes\nallow_anonymous = off\nallow_register_during_netsplit = off\n"
      "allow_publish_during_netsplit = off\nallow_subscribe_during_netsplit = off\n"
      "allow_unsubscribe_during_netsplit = off\nallow_multiple_sessions = off\ncoordinate_registrations = on\n"
      "max_inflight_messages = 20\nmax_online_messages = 1000\nmax_offline_messages = 1000\n"
      "max_message_size = 0\nupgrade_outgoing_qos = off\nlistener.max_connections = 10000\n"
      "listener.nr_of_acceptors = 10\nlistener.tcp.default = 127.0.0.1:1883\n"
      "listener.vmq.clustering = 0.0.0.0:44053\nlistener.http.default = 127.0.0.1:8888\n"
      "listener.mountpoint = off\nsystree_enabled = on\nsystree_interval = 20000\ngraphite_enabled = off\n"
      "graphite_host = localhost\ngraphite_port = 2003\ngraphite_interval = 20000\n"
      "shared_subscription_policy = prefer_local\nplugins.vmq_passwd = on\nplugins.vmq_acl = on\n"
      "plugins.vmq_diversity = off\nplugins.vmq_webhooks = off\nplugins.vmq_bridge = off\n"
      "metadata_plugin = vmq_swc\nvmq_acl.acl_file = ./etc/vmq.acl\nvmq_acl.acl_reload_interval = 10\n"
      "vmq_passwd.password_file = ./etc/vmq.passwd\nvmq_passwd.password_reload_interval = 10\n"
      "vmq_diversity.script_dir = ./share/lua\nvmq_diversity.auth_postgres.enabled = off\n"
      "vmq_webhooks.hook1.hook = on_publish\nvmq_webhooks.hook1.endpoint = http://127.0.0.1/hook\n"
      "log.console = file\nlog.console.level = info\nlog.console.file = ./log/console.log\n"
      "log.error.file = ./log/error.log\nlog.syslog = off\nlog.crash = on\nlog.crash.file = ./log/crash.log\n"
      "log.crash.maximum_message_size = 64KB\nlog.crash.size = 10MB\nlog.crash.rotation = $D0\n"
      "log.crash.rotation.keep = 5\nnodename = VerneMQ@127.0.0.1\ndistributed_cookie = vmq\n"
      "erlang.async_threads = 64\nerlang.max_ports = 262144\nerlang.distribution.port_range.minimum = 6000\n"
      "leveldb.maximum_memory.percent = 70\nleveldb.write_buffer_size_min = 1048576\n"
      "message_store.dir = ./data/msgstore\nvmq_generic_msg_store.leveldb.store_dir = ./data/msgstore\n"
      "outgoing_clustering_buffer_size = 10000\nqueue_deliver_mode = fanout\ndefault_reg_view = vmq_reg_trie\n"
      "reg_views = [vmq_reg_trie]\nmax_last_will_delay = client\nremote_enqueue_timeout = 5000\n"
      "suppress_lwt_on_session_takeover = off\nreceive_max_client = 16\n");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_FALSE(c->allow_anonymous);
  EXPECT_EQ(c->systree_interval, 20s);
  EXPECT_EQ(c->nodename, "VerneMQ@127.0.0.1");
  EXPECT_EQ(c->listeners.at(0).max_connections, 10000U);
  EXPECT_EQ(c->listeners.at(0).mountpoint, "");
  EXPECT_EQ(c->acl_file, "./etc/vmq.acl");
  EXPECT_EQ(c->password_file, "./etc/vmq.passwd");
}

// ---- load_broker_config: files ----

TEST(LoadBrokerConfig, ReadsAFile) {
  temp_dir dir;
  const std::string path = dir.write("ternmq.conf", k_listener + "max_inflight_messages = 3\n");
  auto c = load_broker_config(path);
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_EQ(c->source_file, path);
  EXPECT_EQ(c->max_inflight_messages, 3U);
}

TEST(LoadBrokerConfig, ErrorsNameThePath) {
  temp_dir dir;
  const std::string path = dir.write("bad.conf", k_listener + "max_inflight_messages = abc\n");
  auto c = load_broker_config(path);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.err().message, path + ":2: max_inflight_messages: expected a non-negative integer, got \"abc\"");
}

TEST(LoadBrokerConfig, MissingFileCannotBeRead) {
  temp_dir dir;
  const std::string path = (dir.path() / "absent.conf").string();
  auto c = load_broker_config(path);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.err().message, path + ": cannot read: No such file or directory");
  EXPECT_EQ(c.err().code, static_cast<int>(conf_errc::cannot_read));
}

TEST(LoadBrokerConfig, DirectoryCannotBeRead) {
  temp_dir dir;
  auto c = load_broker_config(dir.path().string());
  ASSERT_FALSE(c);
  EXPECT_EQ(c.err().message, dir.path().string() + ": cannot read: Is a directory");
}

// The sample shipped at the repository root must always load. Located through the source tree's
// path from CMake (not __FILE__, which a compiler cache may make relative).
TEST(LoadBrokerConfig, ShippedSampleLoads) {
  const auto sample = std::filesystem::path(TERNMQ_SOURCE_DIR) / "ternmq.conf";
  ASSERT_TRUE(std::filesystem::exists(sample)) << "no " << sample;
  auto c = load_broker_config(sample.string());
  ASSERT_TRUE(c) << c.err().message;
  ASSERT_EQ(c->listeners.size(), 1U);
  EXPECT_EQ(c->listeners[0].kind, transport_kind::tcp);
  EXPECT_EQ(c->listeners[0].address, "127.0.0.1");
  EXPECT_EQ(c->listeners[0].port, 1883);
  EXPECT_TRUE(c->allow_anonymous);
}

// Every commented example in the sample (`# key = value`) must also load once uncommented, so the
// examples cannot drift from what the parser accepts.
TEST(LoadBrokerConfig, ShippedSampleLoadsWithEveryExampleUncommented) {
  const auto sample = std::filesystem::path(TERNMQ_SOURCE_DIR) / "ternmq.conf";
  ASSERT_TRUE(std::filesystem::exists(sample)) << "no " << sample;
  std::ifstream in(sample);
  std::string text;
  int uncommented = 0;
  const std::regex example(R"(^# ([A-Za-z0-9_.-]+ = .+)$)");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, example)) {
      line = m[1].str();
      ++uncommented;
    }
    text += line + "\n";
  }
  EXPECT_GT(uncommented, 20);
  auto c = parse_broker_config(text, "ternmq.conf (uncommented)");
  ASSERT_TRUE(c) << c.err().message;
  EXPECT_EQ(c->listeners.size(), 4U);
  EXPECT_TRUE(c->listeners[2].tls.require_certificate);  // listener.ssl.default
}

}  // namespace
}  // namespace ternmq::config
