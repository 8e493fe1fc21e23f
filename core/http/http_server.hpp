// A small HTTP/1.1 server (Beast) that hands every request to a `router`, for the scheduler's
// API on loopback or the agent network. One strand-free session per connection on the given
// io_context; keep-alive supported; bodies bounded.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "core/base/result.hpp"
#include "core/http/router.hpp"

namespace core::http {

class http_server {
 public:
  http_server(boost::asio::io_context& io, std::shared_ptr<const router> routes);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // Binds `address:port` (port 0: any) and starts accepting; returns the bound endpoint.
  result<boost::asio::ip::tcp::endpoint> listen(const std::string& address, unsigned short port);
  void close();

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace core::http
