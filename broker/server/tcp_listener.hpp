// Accepts TCP connections for one configured listener and hands each to a worker, round
// robin, where it stays for its life. Enforces the listener's max_connections.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "broker/config/broker_config.hpp"
#include "broker/server/broker_context.hpp"
#include "broker/server/connection.hpp"
#include "core/asio/worker_pool.hpp"
#include "core/base/result.hpp"

namespace ternmq::server {

class tcp_listener_runner : public std::enable_shared_from_this<tcp_listener_runner> {
 public:
  tcp_listener_runner(broker_context& ctx, core::asio::worker_pool& pool, std::vector<connection_set>& live,
                      std::shared_ptr<const config::tcp_listener> cfg);

  // Binds and listens; the error names the listener and the address.
  core::result<boost::asio::ip::tcp::endpoint> open();
  void start_accepting();
  void close();  // stop accepting; live connections stay

 private:
  void do_accept();

  broker_context& ctx_;
  core::asio::worker_pool& pool_;
  std::vector<connection_set>& live_;
  std::shared_ptr<const config::tcp_listener> cfg_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<std::atomic<std::uint32_t>> current_ = std::make_shared<std::atomic<std::uint32_t>>(0);
};

}  // namespace ternmq::server
