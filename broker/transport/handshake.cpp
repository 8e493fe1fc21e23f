#include "broker/transport/handshake.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "broker/transport/proxy_protocol.hpp"
#include "broker/transport/tcp_stream.hpp"
#include "broker/transport/tls_stream.hpp"
#include "broker/transport/ws_stream.hpp"
#include "core/tls/server_context.hpp"

namespace ternmq::transport {
namespace {

namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using boost::asio::ip::tcp;

// PROXY v2 allows a 16-byte header plus 65535 bytes of addresses and TLVs.
constexpr std::size_t k_max_proxy_header = 16 + 65535;

// The MQTT subprotocol a client offered: "mqtt" (MQTT-6.0.0-3), or "mqttv3.1" from old 3.1
// clients. Empty when none was offered.
std::string pick_subprotocol(std::string_view offered) {
  std::string chosen;
  std::size_t start = 0;
  while (start <= offered.size()) {
    std::size_t end = offered.find(',', start);
    if (end == std::string_view::npos) end = offered.size();
    std::string_view token = offered.substr(start, end - start);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    if (token == "mqtt") return "mqtt";
    if (token == "mqttv3.1" && chosen.empty()) chosen = "mqttv3.1";
    start = end + 1;
  }
  return chosen;
}

class flow : public std::enable_shared_from_this<flow> {
 public:
  flow(tcp::socket socket, handshake_options options, handshake_done done)
      : socket_(std::move(socket)), options_(std::move(options)), done_(std::move(done)),
        timer_(socket_.get_executor()), lowest_(&socket_) {
    peer_ = peer_of(socket_);
  }

  void start() {
    timer_.expires_after(options_.timeout);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || self->finished_) return;
      self->timed_out_ = true;
      boost::system::error_code ignored;
      self->lowest_->close(ignored);  // every pending step now fails and reports the timeout
    });
    if (options_.proxy_protocol) {
      read_proxy_header();
    } else {
      after_proxy();
    }
  }

 private:
  void fail(std::string why) {
    if (timed_out_) why = "handshake timed out (" + why + ")";
    boost::system::error_code ignored;
    lowest_->close(ignored);
    finish({nullptr, {}, std::move(why)});
  }

  void finish(handshake_result r) {
    if (finished_) return;
    finished_ = true;
    timer_.cancel();
    done_(std::move(r));
  }

  void read_proxy_header() {
    chunk_.resize(4096);
    socket_.async_read_some(boost::asio::buffer(chunk_), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                                      std::size_t n) {
      if (ec) return self->fail("reading the PROXY header: " + ec.message());
      self->pending_.append(self->chunk_.data(), n);
      const auto r = parse_proxy_header(reinterpret_cast<const std::uint8_t*>(self->pending_.data()), self->pending_.size());
      if (r.status == proxy_parse_status::invalid) return self->fail("no valid PROXY protocol header: " + r.error);
      if (r.status == proxy_parse_status::need_more) {
        if (self->pending_.size() > k_max_proxy_header) return self->fail("PROXY header too long");
        return self->read_proxy_header();
      }
      if (!r.header.local) {
        self->peer_.address = r.header.source_address;
        self->peer_.port = r.header.source_port;
      }
      // Only a certificate the proxy verified names the client (HAProxy passes the CN of a failed
      // certificate too, with a non-zero verify result).
      if (r.header.ssl_cert_verified && r.header.ssl_common_name && !r.header.ssl_common_name->empty())
        self->peer_.certificate_cn = r.header.ssl_common_name;
      self->pending_.erase(0, r.consumed);
      self->after_proxy();
    });
  }

  void after_proxy() {
    if (options_.tls) {
      tls_.emplace(std::move(socket_), *options_.tls_context);
      lowest_ = &tls_->next_layer();
      tls_->async_handshake(boost::asio::ssl::stream_base::server, boost::asio::buffer(pending_),
                            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t used) {
                              if (ec) return self->fail("TLS handshake: " + ec.message());
                              self->pending_.erase(0, std::min(used, self->pending_.size()));
                              std::string cn = core::tls::verified_peer_common_name(self->tls_->native_handle());
                              if (!cn.empty()) self->peer_.certificate_cn = std::move(cn);
                              if (self->options_.websocket) return self->upgrade(std::move(*self->tls_));
                              self->finish({std::make_unique<tls_stream>(std::move(*self->tls_), self->peer_),
                                            std::move(self->pending_), {}});
                            });
      return;
    }
    if (options_.websocket) return upgrade(std::move(socket_));
    finish({std::make_unique<tcp_stream>(std::move(socket_), peer_), std::move(pending_), {}});
  }

  template <class Next>
  void upgrade(Next next) {
    auto ws = std::make_shared<websocket::stream<Next>>(std::move(next));
    lowest_ = &boost::beast::get_lowest_layer(*ws);
    auto buffer = std::make_shared<boost::beast::flat_buffer>();
    buffer->commit(boost::asio::buffer_copy(buffer->prepare(pending_.size()), boost::asio::buffer(pending_)));
    pending_.clear();
    auto request = std::make_shared<http::request<http::string_body>>();
    http::async_read(ws->next_layer(), *buffer, *request,
                     [self = shared_from_this(), ws, buffer, request](const boost::system::error_code& ec, std::size_t) {
                       if (ec) return self->fail("reading the WebSocket upgrade request: " + ec.message());
                       self->on_upgrade_request(ws, *request);
                     });
  }

  template <class Next>
  void on_upgrade_request(const std::shared_ptr<websocket::stream<Next>>& ws, const http::request<http::string_body>& req) {
    std::string subprotocol = pick_subprotocol(req[http::field::sec_websocket_protocol]);
    if (!websocket::is_upgrade(req)) return refuse(ws, http::status::bad_request, "not a WebSocket upgrade");
    if (req.target() != options_.websocket_path)
      return refuse(ws, http::status::not_found, "WebSocket path " + std::string(req.target()) + " is not " + options_.websocket_path);
    if (subprotocol.empty()) return refuse(ws, http::status::bad_request, "no mqtt WebSocket subprotocol offered");
    ws->set_option(websocket::stream_base::decorator(
        [subprotocol](websocket::response_type& res) { res.set(http::field::sec_websocket_protocol, subprotocol); }));
    websocket::stream_base::timeout t{};
    t.handshake_timeout = options_.timeout;
    t.idle_timeout = websocket::stream_base::none();  // MQTT keep alive governs idleness
    t.keep_alive_pings = false;
    ws->set_option(t);
    ws->read_message_max(0);  // the connection enforces MQTT's own packet limits
    ws->async_accept(req, [self = shared_from_this(), ws](const boost::system::error_code& ec) {
      if (ec) return self->fail("WebSocket accept: " + ec.message());
      self->finish({std::make_unique<ws_stream<Next>>(std::move(*ws), self->peer_), {}, {}});
    });
  }

  template <class Next>
  void refuse(const std::shared_ptr<websocket::stream<Next>>& ws, http::status status, std::string why) {
    auto res = std::make_shared<http::response<http::string_body>>(status, 11);
    res->set(http::field::content_type, "text/plain");
    res->set(http::field::connection, "close");
    res->body() = why + "\n";
    res->prepare_payload();
    http::async_write(ws->next_layer(), *res,
                      [self = shared_from_this(), ws, res, why](const boost::system::error_code&, std::size_t) {
                        self->fail(why);
                      });
  }

  tcp::socket socket_;
  handshake_options options_;
  handshake_done done_;
  boost::asio::steady_timer timer_;
  tcp::socket* lowest_;  // the socket under whatever layer currently owns it, for the timeout
  std::optional<ssl_socket> tls_;
  peer_info peer_;
  std::string chunk_;
  std::string pending_;  // bytes read but not consumed by the current step
  bool finished_ = false;
  bool timed_out_ = false;
};

}  // namespace

void start_handshake(tcp::socket socket, const handshake_options& options, handshake_done done) {
  std::make_shared<flow>(std::move(socket), options, std::move(done))->start();
}

}  // namespace ternmq::transport
