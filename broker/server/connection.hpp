// One MQTT client connection over a byte stream: reads and decodes packets, runs the packet
// handlers (handle_*.cpp) and writes what they produce. It lives on the one worker thread
// whose io_context accepted it, so its members need no lock; other threads reach it only
// through `wake` and `taken_over`, which post to that thread.
//
// Output is bounded: messages are pulled from the session only while less than
// `k_tx_high_water` bytes wait to be written, so a slow reader backs up into its session
// queue (whose limits drop messages as configured) and never into memory here.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "broker/codec/decoder.hpp"
#include "broker/codec/wire.hpp"
#include "broker/codec/packets.hpp"
#include "broker/config/broker_config.hpp"
#include "broker/server/broker_context.hpp"
#include "broker/session/session.hpp"
#include "broker/transport/byte_stream.hpp"

namespace ternmq::server {

class connection_set;

class connection : public session::session_sink, public std::enable_shared_from_this<connection> {
 public:
  // `initial_bytes`: MQTT bytes that arrived with the transport handshake (after a PROXY header).
  connection(broker_context& ctx, connection_set& live, std::size_t worker, std::unique_ptr<transport::byte_stream> stream,
             std::string initial_bytes, std::shared_ptr<const config::listener_config> listener,
             std::shared_ptr<void> admission);
  ~connection() override;

  void start();
  // Server shutdown: DISCONNECT 0x8B for 5.0 clients, then close. Worker thread only.
  void shut_down();

  // session_sink, callable from any thread.
  void wake() override;
  void taken_over() override;

 private:
  // authenticating: CONNECT read, its password being checked off this thread; nothing else is
  // read or processed until the verdict comes back.
  enum class state { awaiting_connect, authenticating, connected, closing, closed };

  // connection.cpp: I/O and lifecycle.
  void do_read();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void dispatch(codec::packet&& p);
  void on_decode_error(const codec::decode_error& e);
  void send(const codec::packet& p);
  void start_write();
  void on_write(const boost::system::error_code& ec);
  void close_with(codec::reason_code reason, std::string_view why);
  void close_now(std::string_view why);
  void finish();
  void arm_keep_alive(std::chrono::milliseconds period);
  void on_keep_alive(const boost::system::error_code& ec);
  void arm_retry();  // 3.x: retry_interval redelivery

  // handle_connect.cpp
  void on_connect(codec::connect&& c);
  void complete_connect(codec::connect&& c, std::optional<std::string> username, auth_verdict verdict);
  void refuse_connect(codec::protocol_version v, codec::reason_code reason, std::string_view why);
  std::optional<std::string> validate_will(const codec::connect& c, codec::reason_code& reason);

  // handle_publish.cpp: client to server.
  void on_publish(codec::publish&& p);
  void on_pubrel(const codec::pubrel& p);
  void ack_publish(std::uint8_t qos, std::uint16_t packet_id, codec::reason_code reason);
  session::message_ptr make_message(codec::publish&& p) const;

  // deliver.cpp: server to client.
  void on_puback(const codec::puback& p);
  void on_pubrec(const codec::pubrec& p);
  void on_pubcomp(const codec::pubcomp& p);
  void pull_from_session();
  void write_outgoing(session::outgoing& o);

  // handle_subscribe.cpp
  void on_subscribe(codec::subscribe&& s);
  void on_unsubscribe(codec::unsubscribe&& u);

  // handle_disconnect.cpp
  void on_disconnect(const codec::disconnect& d);
  void on_auth(const codec::auth& a);
  // `session_ended`: publish now whatever the delay; `session_kept`: a delayed will waits in
  // the session (a reconnect cancels it).
  void publish_will_on_close(bool session_ended, bool session_kept);

  bool v5() const { return version_ == codec::protocol_version::v5; }
  std::string peer() const;

  broker_context& ctx_;
  connection_set& live_;
  const std::size_t worker_;
  std::unique_ptr<transport::byte_stream> stream_;
  std::shared_ptr<const config::listener_config> listener_;
  std::shared_ptr<void> admission_;  // the listener's connection slot, released with this object
  std::shared_ptr<const config::broker_config> config_;
  boost::asio::steady_timer keep_alive_timer_;
  boost::asio::steady_timer retry_timer_;
  std::string remote_;

  state state_ = state::awaiting_connect;
  codec::protocol_version version_ = codec::protocol_version::v311;

  // Receive side.
  std::vector<std::uint8_t> rx_;
  std::size_t rx_len_ = 0;
  bool reading_ = false;
  bool read_paused_ = false;
  bool throttled_ = false;  // over max_message_rate until the current second ends
  std::chrono::steady_clock::time_point last_rx_;
  std::uint32_t max_incoming_packet_ = codec::k_max_varint + 5;

  // Send side.
  std::string tx_pending_;
  std::string tx_writing_;
  bool writing_ = false;
  std::atomic<bool> wake_pending_{false};

  // Session.
  std::shared_ptr<session::session> session_;
  std::uint64_t generation_ = 0;
  std::string client_id_;
  std::string mountpoint_;        // the listener's: this client's topic tree
  bool assigned_client_id_ = false;  // we chose the client id (5.0: Assigned Client Identifier)
  auth::client_view acl_client_;  // who the ACL sees: client id and (effective) username
  bool clean_disconnect_ = false;  // DISCONNECT 0x00 received: no will
  std::optional<codec::will_message> will_;
  std::uint32_t connect_session_expiry_ = 0;

  // Limits the client asked for (5.0), and what we granted.
  std::uint16_t client_receive_maximum_ = 0xFFFF;
  std::uint32_t client_max_packet_size_ = codec::k_max_varint + 5;
  std::uint16_t client_topic_alias_max_ = 0;
  bool request_problem_information_ = true;
  std::uint16_t keep_alive_ = 0;

  // Topic aliases: client to server (alias to topic) and server to client (topic to alias).
  std::unordered_map<std::uint16_t, std::string> inbound_aliases_;
  std::unordered_map<std::string, std::uint16_t> outbound_aliases_;
  std::uint16_t outbound_topic_alias_max_ = 0;

  // max_message_rate accounting: publishes seen in the current one-second window.
  std::chrono::steady_clock::time_point rate_window_start_;
  std::uint32_t rate_window_count_ = 0;
};

// The live connections of one worker, for shutdown. Worker thread only.
class connection_set {
 public:
  void add(connection* c) { live_.emplace(c, c->weak_from_this()); }
  void remove(connection* c) { live_.erase(c); }
  template <class F>
  void for_each(F&& f) {
    auto copy = live_;
    for (auto& [_, w] : copy)
      if (auto c = w.lock()) f(*c);
  }
  std::size_t size() const { return live_.size(); }

 private:
  std::map<connection*, std::weak_ptr<connection>> live_;
};

}  // namespace ternmq::server
