// Turns an accepted TCP socket into a byte_stream ready for MQTT: reads the PROXY protocol
// header when the listener expects one, runs the TLS handshake, and the WebSocket upgrade on
// `/mqtt` with the `mqtt` subprotocol, as the listener's transport requires. Bounded in time:
// a peer that stalls any step is dropped when `timeout` passes.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "broker/transport/byte_stream.hpp"

namespace boost::asio::ssl {
class context;
}

namespace ternmq::transport {

struct handshake_options {
  bool tls = false;        // ssl and wss
  bool websocket = false;  // ws and wss
  bool proxy_protocol = false;
  std::shared_ptr<boost::asio::ssl::context> tls_context;  // when `tls`
  std::string websocket_path = "/mqtt";
  std::chrono::milliseconds timeout{10'000};
};

struct handshake_result {
  std::unique_ptr<byte_stream> stream;  // null on failure
  std::string initial_bytes;            // MQTT bytes that arrived with the last handshake step
  std::string error;                    // why it failed (for the log)
};

using handshake_done = std::function<void(handshake_result)>;

// Runs on the socket's executor; calls `done` exactly once, there.
void start_handshake(boost::asio::ip::tcp::socket socket, const handshake_options& options, handshake_done done);

}  // namespace ternmq::transport
