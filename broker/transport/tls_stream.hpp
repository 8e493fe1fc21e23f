// byte_stream over TLS (OpenSSL through Asio), after a completed server handshake.
// Included only by the handshake code: Asio's SSL headers stay out of everything else.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>

#include "broker/transport/byte_stream.hpp"

namespace ternmq::transport {

using ssl_socket = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

class tls_stream final : public byte_stream {
 public:
  tls_stream(ssl_socket stream, peer_info peer) : stream_(std::move(stream)), peer_(std::move(peer)) {}

  boost::asio::any_io_executor get_executor() override { return stream_.get_executor(); }
  void async_read_some(boost::asio::mutable_buffer buffer, read_handler handler) override;
  void async_write(boost::asio::const_buffer buffer, write_handler handler) override;
  void close() override;
  const peer_info& peer() const override { return peer_; }

 private:
  ssl_socket stream_;
  peer_info peer_;
};

}  // namespace ternmq::transport
