// Accepts connections for one configured listener (tcp, ssl, ws or wss), runs the transport
// handshake (PROXY header, TLS, WebSocket upgrade) on the worker chosen for the connection,
// round robin, and starts the MQTT connection there, where it stays for its life. Enforces the
// listener's max_connections, counting handshakes in progress.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "broker/config/broker_config.hpp"
#include "broker/server/broker_context.hpp"
#include "broker/server/connection.hpp"
#include "broker/transport/handshake.hpp"
#include "core/asio/worker_pool.hpp"
#include "core/base/result.hpp"

namespace ternmq::server {

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(broker_context& ctx, core::asio::worker_pool& pool, std::vector<connection_set>& live,
           std::shared_ptr<const config::listener_config> cfg);

  // Loads TLS material, binds and listens; errors name the listener and the cause.
  core::result<boost::asio::ip::tcp::endpoint> open();
  void start_accepting();
  void close();  // stop accepting; live connections stay

  // "listener.<transport>.<name>"
  std::string key() const;

 private:
  void do_accept();
  void on_accepted(boost::asio::ip::tcp::socket socket, std::size_t worker);

  broker_context& ctx_;
  core::asio::worker_pool& pool_;
  std::vector<connection_set>& live_;
  std::shared_ptr<const config::listener_config> cfg_;
  transport::handshake_options handshake_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<std::atomic<std::uint32_t>> current_ = std::make_shared<std::atomic<std::uint32_t>>(0);
};

}  // namespace ternmq::server
