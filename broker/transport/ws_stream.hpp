// byte_stream over a WebSocket (Beast) carrying MQTT in binary messages, on plain TCP or TLS.
// Included only by the handshake code.
#pragma once

#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "broker/transport/byte_stream.hpp"

namespace ternmq::transport {

template <class NextLayer>
class ws_stream final : public byte_stream {
 public:
  ws_stream(boost::beast::websocket::stream<NextLayer> ws, peer_info peer) : ws_(std::move(ws)), peer_(std::move(peer)) {
    ws_.binary(true);
  }

  boost::asio::any_io_executor get_executor() override { return ws_.get_executor(); }

  void async_read_some(boost::asio::mutable_buffer buffer, read_handler handler) override {
    ws_.async_read_some(buffer, [this, h = std::move(handler)](const boost::system::error_code& ec, std::size_t n) {
      // MQTT-6.0.0-1: MQTT travels in binary frames only; a text frame ends the connection.
      if (!ec && ws_.got_text()) return h(boost::asio::error::make_error_code(boost::asio::error::invalid_argument), 0);
      h(ec, n);
    });
  }

  void async_write(boost::asio::const_buffer buffer, write_handler handler) override {
    ws_.async_write(buffer, [h = std::move(handler)](const boost::system::error_code& ec, std::size_t) { h(ec); });
  }

  void close() override {
    boost::system::error_code ignored;
    auto& socket = boost::beast::get_lowest_layer(ws_);
    socket.shutdown(boost::asio::socket_base::shutdown_both, ignored);
    socket.close(ignored);
  }

  const peer_info& peer() const override { return peer_; }

 private:
  boost::beast::websocket::stream<NextLayer> ws_;
  peer_info peer_;
};

}  // namespace ternmq::transport
