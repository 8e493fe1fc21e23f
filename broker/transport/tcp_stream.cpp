#include "broker/transport/tcp_stream.hpp"

#include <boost/asio/write.hpp>

namespace ternmq::transport {

peer_info peer_of(const boost::asio::ip::tcp::socket& socket) {
  peer_info p;
  boost::system::error_code ec;
  const auto ep = socket.remote_endpoint(ec);
  if (!ec) {
    p.address = ep.address().to_string();
    p.port = ep.port();
  } else {
    p.address = "?";
  }
  return p;
}

tcp_stream::tcp_stream(boost::asio::ip::tcp::socket socket, peer_info peer)
    : socket_(std::move(socket)), peer_(std::move(peer)) {
  boost::system::error_code ignored;
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ignored);
}

void tcp_stream::async_read_some(boost::asio::mutable_buffer buffer, read_handler handler) {
  socket_.async_read_some(buffer, std::move(handler));
}

void tcp_stream::async_write(boost::asio::const_buffer buffer, write_handler handler) {
  boost::asio::async_write(socket_, buffer,
                           [h = std::move(handler)](const boost::system::error_code& ec, std::size_t) { h(ec); });
}

void tcp_stream::close() {
  boost::system::error_code ignored;
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace ternmq::transport
