// A connected, bidirectional byte stream to one MQTT client, whatever carries it: plain TCP,
// TLS, WebSocket or WebSocket over TLS. The connection reads and writes through this interface
// only, so the MQTT logic is the same on every listener.
//
// Not thread-safe: every call and every completion happens on the executor the stream was
// created on (the connection's worker). One read and one write may be outstanding at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>

namespace ternmq::transport {

// Who is on the other end, as far as the transport knows.
struct peer_info {
  std::string address;  // the client's address (the proxy's client when a PROXY header came)
  std::uint16_t port = 0;
  // The subject common name of the client certificate: verified by our TLS, or passed by a proxy
  // that terminated TLS (PROXY v2 SSL TLV). Empty when there is none.
  std::optional<std::string> certificate_cn;
  std::string endpoint() const;  // "address:port", IPv6 in brackets
};

class byte_stream {
 public:
  using read_handler = std::function<void(const boost::system::error_code&, std::size_t)>;
  using write_handler = std::function<void(const boost::system::error_code&)>;

  virtual ~byte_stream() = default;

  virtual boost::asio::any_io_executor get_executor() = 0;
  // Reads at least one byte (for WebSocket: part of one or more binary frames).
  virtual void async_read_some(boost::asio::mutable_buffer buffer, read_handler handler) = 0;
  // Writes all of `buffer` (for WebSocket: as one binary message).
  virtual void async_write(boost::asio::const_buffer buffer, write_handler handler) = 0;
  // Closes at once; outstanding operations complete with an error.
  virtual void close() = 0;
  virtual const peer_info& peer() const = 0;
};

}  // namespace ternmq::transport
