// The validated, immutable configuration of one broker node, read from `ternmq.conf`
// (vernemq.conf syntax). Produced once by `load_broker_config` and shared by const reference.
// Defaults follow ../shared/seeds/vernemq-docs.txt unless noted.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.hpp"

namespace ternmq::config {

enum class queue_type { fifo, lifo };
enum class shared_subscription_policy { prefer_local, random, local_only };

enum class transport_kind { tcp, ssl, ws, wss };

// Returns "tcp", "ssl", "ws" or "wss": the word used in `listener.<transport>.<name>` keys.
const char* to_string(transport_kind kind);

// TLS settings of an `ssl` or `wss` listener (VerneMQ's listener.ssl.* keys).
struct tls_settings {
  std::string cafile;    // CA certificates that sign client certificates
  std::string certfile;  // server certificate chain (PEM)
  std::string keyfile;   // server private key (PEM)
  std::string ciphers;   // OpenSSL cipher list for TLS 1.2; empty = OpenSSL's default
  std::string crlfile;   // certificate revocation list (PEM); empty = none
  std::string tls_version = "tlsv1.2";  // lowest version accepted: tlsv1.2 or tlsv1.3
  bool require_certificate = false;     // clients must present a certificate signed by `cafile`
  bool use_identity_as_username = false;  // the client certificate's CN becomes the username
  bool operator==(const tls_settings&) const = default;
};

// One `listener.<transport>.<name> = ip:port` entry with its per-listener settings resolved
// (listener.<transport>.<name>.X overrides listener.<transport>.X overrides listener.X).
struct listener_config {
  transport_kind kind = transport_kind::tcp;
  std::string name;
  std::string address;  // IPv4 or IPv6 literal
  std::uint16_t port = 0;
  std::uint32_t max_connections = 10000;  // 0 = no limit ("infinity")
  std::vector<int> allowed_protocol_versions{3, 4, 5};
  std::string mountpoint;                 // empty = none
  bool proxy_protocol = false;            // a PROXY protocol v1/v2 header precedes MQTT (tcp, ws)
  bool proxy_protocol_use_cn_as_username = false;  // the CN the proxy passes becomes the username
  tls_settings tls;                       // ssl and wss only
  bool operator==(const listener_config&) const = default;
};

// One `listener.vmq.<name> = ip:port` entry: where this node accepts cluster links from its
// peers and from `ternmq-admin` (VerneMQ's `listener.vmq.clustering`). Settings under
// `listener.vmq.<name>.*` and `listener.vmqs.*` are accepted without effect.
struct cluster_listener_config {
  std::string name;
  std::string address;  // IPv4 or IPv6 literal
  std::uint16_t port = 0;
  bool operator==(const cluster_listener_config&) const = default;
};

struct broker_config {
  std::string source_file;  // path the config was read from
  std::vector<listener_config> listeners;  // every MQTT transport, in file order
  std::vector<cluster_listener_config> cluster_listeners;  // listener.vmq.*, in file order

  bool allow_anonymous = false;
  std::uint32_t max_client_id_size = 23;
  std::uint32_t max_inflight_messages = 20;   // 0 = no limit
  std::int64_t max_online_messages = 1000;    // -1 = no limit
  std::int64_t max_offline_messages = 1000;   // -1 = no limit
  std::uint32_t max_message_size = 0;         // bytes of payload, 0 = no limit
  std::chrono::seconds retry_interval{20};
  std::optional<std::chrono::seconds> persistent_client_expiration;  // nullopt = never
  queue_type queue = queue_type::fifo;
  std::uint32_t max_message_rate = 0;  // publishes per second per session, 0 = no limit
  shared_subscription_policy shared_policy = shared_subscription_policy::prefer_local;
  bool upgrade_outgoing_qos = false;
  bool allow_multiple_sessions = false;  // accepted for compatibility; only `off` is supported
  std::chrono::seconds max_drain_time{20};
  std::uint32_t max_msgs_per_drain_step = 1000;

  // MQTT 5.0 limits advertised in CONNACK.
  std::uint16_t receive_max_broker = 0xFFFF;  // receive_max_broker (VerneMQ name)
  std::uint16_t topic_alias_max_broker = 0;   // topic_alias_max_broker; 0 = aliases refused
  std::uint16_t topic_alias_max_client = 0;   // topic_alias_max_client; aliases we may send
  std::uint32_t max_session_expiry_interval = 0xFFFFFFFF;  // not in VerneMQ: caps client requests
  // Longest keep alive accepted (seconds, 0 = no cap). A 5.0 client asking for more, or for
  // none, is told this value in Server Keep Alive; a 3.x client keeps its own.
  std::uint16_t max_keep_alive = 0;

  std::string log_console = "console";  // log.console = off | file | console | both
  std::string log_console_level = "info";
  std::string log_console_file;

  std::string nodename = "TernMQ@127.0.0.1";
  std::string distributed_cookie = "vmq";

  // Clustering (docs/clustering.md). Stored for the routing slice; links do not use them yet.
  bool allow_register_during_netsplit = false;
  bool allow_publish_during_netsplit = false;
  bool allow_subscribe_during_netsplit = false;
  bool allow_unsubscribe_during_netsplit = false;
  std::int64_t outgoing_clustering_buffer_size = 10000;  // bytes per peer

  bool systree_enabled = true;
  std::chrono::seconds systree_interval{20};

  // Authentication and authorization (plugins.vmq_passwd / plugins.vmq_acl, on by default as in
  // VerneMQ). With allow_anonymous on, no plugin is consulted for authentication.
  bool plugin_vmq_passwd = true;
  std::string password_file;                             // vmq_passwd.password_file
  std::chrono::seconds password_reload_interval{10};     // vmq_passwd.password_reload_interval; 0 = off
  bool plugin_vmq_acl = true;
  std::string acl_file;                                  // vmq_acl.acl_file
  std::chrono::seconds acl_reload_interval{10};          // vmq_acl.acl_reload_interval; 0 = off
  bool subscribe_failure_unspecified = false;            // acl.subscribe_failure_reason = unspecified

  std::string metadata_plugin = "vmq_swc";
  std::string persistent_store_dir = "./data/msgstore";  // message_store.dir (vmq_generic_msg_store)
  int leveldb_maximum_memory_percent = 70;

  bool operator==(const broker_config&) const = default;
};

// Parses `path`. On failure the error message reads "FILE:LINE: KEY: reason" (or "FILE: reason"
// when the file itself cannot be read), ready to print.
core::result<broker_config> load_broker_config(const std::string& path);

// The same, from text already in memory; `source_name` stands in for the file name in errors.
core::result<broker_config> parse_broker_config(const std::string& text, const std::string& source_name);

}  // namespace ternmq::config
