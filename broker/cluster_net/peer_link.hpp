// One TCP connection of the cluster listener or to a peer: reads frames, runs the handshake
// (server side when accepted, client side when dialled), then hands every decoded message to its
// owner. Writes are queued and sent one at a time, in order.
//
// Owned by `cluster_service`, which keeps a shared_ptr while the link is open; the link's
// pending operations keep it alive too. Not thread-safe: every call and every callback runs on
// the cluster's io_context thread (see cluster_service.hpp).
//
// The link never acts on untrusted input beyond the handshake: until the peer has proved it
// knows the cookie, frames are limited to `k_handshake_max_frame_size`, and any malformed frame
// or message closes the link with the reason in the log.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include <boost/asio/ip/tcp.hpp>

#include "broker/cluster/frame.hpp"
#include "broker/cluster/handshake.hpp"
#include "broker/cluster/link_rules.hpp"
#include "broker/cluster/messages.hpp"

namespace ternmq::cluster_net {

class peer_link;

// What a link reports to its owner. Each callback gets the link so the owner can tell links
// apart; `on_closed` comes exactly once per link, after which the link reports nothing more.
class link_events {
 public:
  virtual ~link_events() = default;
  virtual void on_authenticated(const std::shared_ptr<peer_link>& link) = 0;
  virtual void on_message(const std::shared_ptr<peer_link>& link, const cluster::message& m) = 0;
  virtual void on_closed(const std::shared_ptr<peer_link>& link, const std::string& reason) = 0;
};

class peer_link : public std::enable_shared_from_this<peer_link> {
 public:
  // An accepted link: we run the server side of the handshake.
  static std::shared_ptr<peer_link> accepted(boost::asio::ip::tcp::socket socket, cluster::handshake_config config,
                                             link_events& events);
  // A dialled link: we run the client side and insist on reaching `expected_peer`.
  static std::shared_ptr<peer_link> dialled(boost::asio::ip::tcp::socket socket, cluster::handshake_config config,
                                            std::string expected_peer, link_events& events);

  peer_link(const peer_link&) = delete;
  peer_link& operator=(const peer_link&) = delete;

  // Sends the server's hello (accepted links) and starts reading.
  void start();
  // Queues `m`. Ignored once the link is closing.
  void send(const cluster::message& m);
  // Closes now; queued frames are dropped. Reports `on_closed(reason)` once.
  void close(const std::string& reason);
  // Closes once the queued frames are written (a last answer before hanging up).
  void close_after_flush(const std::string& reason);

  bool authenticated() const { return authenticated_; }
  bool open() const { return !closed_; }
  bool we_dialled() const { return we_dialled_; }
  // The peer's node name: the authenticated one, or the one dialled before that.
  const std::string& peer() const { return peer_; }
  std::string remote() const { return remote_; }
  std::chrono::steady_clock::time_point opened_at() const { return opened_at_; }
  cluster::link_liveness& liveness() { return liveness_; }

 private:
  peer_link(boost::asio::ip::tcp::socket socket, link_events& events, bool we_dialled);

  void do_read();
  void on_frames(std::vector<cluster::frame> frames);
  void on_handshake_message(const cluster::message& m);
  void do_write();

  boost::asio::ip::tcp::socket socket_;
  link_events& events_;
  bool we_dialled_;
  std::string peer_;
  std::string remote_;
  std::chrono::steady_clock::time_point opened_at_ = std::chrono::steady_clock::now();
  std::variant<std::monostate, cluster::server_handshake, cluster::client_handshake> handshake_;
  bool authenticated_ = false;
  bool closed_ = false;
  bool closing_after_flush_ = false;
  std::string closing_reason_;
  cluster::frame_decoder decoder_{cluster::k_handshake_max_frame_size};
  std::deque<std::string> out_;
  bool writing_ = false;
  std::array<char, 16384> in_{};
  cluster::link_liveness liveness_;
};

}  // namespace ternmq::cluster_net
