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

// One `listener.tcp.<name> = ip:port` entry with its per-listener settings resolved
// (listener.tcp.<name>.X overrides listener.tcp.X overrides listener.X).
struct tcp_listener {
  std::string name;
  std::string address;  // IPv4 or IPv6 literal, or a host name
  std::uint16_t port = 0;
  std::uint32_t max_connections = 10000;        // listener.max_connections; 0 = no limit ("infinity")
  std::vector<int> allowed_protocol_versions{3, 4, 5};
  std::string mountpoint;
  bool operator==(const tcp_listener&) const = default;
};

struct broker_config {
  std::string source_file;  // path the config was read from
  std::vector<tcp_listener> tcp_listeners;

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

  bool systree_enabled = true;
  std::chrono::seconds systree_interval{20};

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
