// byte_stream over a plain TCP socket.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "broker/transport/byte_stream.hpp"

namespace ternmq::transport {

class tcp_stream final : public byte_stream {
 public:
  tcp_stream(boost::asio::ip::tcp::socket socket, peer_info peer);

  boost::asio::any_io_executor get_executor() override { return socket_.get_executor(); }
  void async_read_some(boost::asio::mutable_buffer buffer, read_handler handler) override;
  void async_write(boost::asio::const_buffer buffer, write_handler handler) override;
  void close() override;
  const peer_info& peer() const override { return peer_; }

 private:
  boost::asio::ip::tcp::socket socket_;
  peer_info peer_;
};

// The peer of an accepted socket as the socket sees it.
peer_info peer_of(const boost::asio::ip::tcp::socket& socket);

}  // namespace ternmq::transport
