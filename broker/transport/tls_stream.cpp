#include "broker/transport/tls_stream.hpp"

#include <boost/asio/write.hpp>

namespace ternmq::transport {

void tls_stream::async_read_some(boost::asio::mutable_buffer buffer, read_handler handler) {
  stream_.async_read_some(buffer, std::move(handler));
}

void tls_stream::async_write(boost::asio::const_buffer buffer, write_handler handler) {
  boost::asio::async_write(stream_, buffer,
                           [h = std::move(handler)](const boost::system::error_code& ec, std::size_t) { h(ec); });
}

void tls_stream::close() {
  // No close_notify: the connection is being dropped (or already was); the TCP close ends it.
  boost::system::error_code ignored;
  stream_.next_layer().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.next_layer().close(ignored);
}

}  // namespace ternmq::transport
