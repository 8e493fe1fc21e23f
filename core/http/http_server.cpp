#include "core/http/http_server.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace core::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

constexpr std::size_t k_body_limit = 8 * 1024 * 1024;

class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket socket, std::shared_ptr<const router> routes)
      : stream_(std::move(socket)), routes_(std::move(routes)) {}

  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(k_body_limit);
    stream_.expires_after(std::chrono::seconds(60));
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->handle(parser_release(self));
    });
  }

  static bhttp::request<bhttp::string_body> parser_release(const std::shared_ptr<session>& s) {
    return s->parser_->release();
  }

  void handle(bhttp::request<bhttp::string_body> req) {
    request r;
    r.method = std::string(req.method_string());
    const std::string_view target = req.target();
    const std::size_t q = target.find('?');
    r.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) r.query = parse_query(target.substr(q + 1));
    r.body = std::move(req.body());
    response out;
    try {
      out = routes_->dispatch(std::move(r));
    } catch (const std::exception& e) {
      out = json_response(500, std::string(R"({"message":"internal error"})"));
    }
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(out.status), req.version());
    res->set(bhttp::field::content_type, out.content_type);
    res->keep_alive(req.keep_alive());
    // 1xx, 204 and 304 answers carry no body (RFC 9110); Beast throws from prepare_payload if one
    // has one, so a handler's body for those codes is dropped here rather than crash the server.
    const bool bodyless = (out.status >= 100 && out.status < 200) || out.status == 204 || out.status == 304;
    if (!bodyless) res->body() = std::move(out.body);
    res->prepare_payload();
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
      if (ec || !res->keep_alive()) return self->close();
      self->read();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<const router> routes_;
};

}  // namespace

struct http_server::impl : std::enable_shared_from_this<impl> {
  impl(boost::asio::io_context& io, std::shared_ptr<const router> r) : acceptor(io), routes(std::move(r)) {}
  tcp::acceptor acceptor;
  std::shared_ptr<const router> routes;

  void accept() {
    acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
      if (ec == boost::asio::error::operation_aborted || !self->acceptor.is_open()) return;
      if (!ec) std::make_shared<session>(std::move(socket), self->routes)->start();
      self->accept();
    });
  }
};

http_server::http_server(boost::asio::io_context& io, std::shared_ptr<const router> routes)
    : impl_(std::make_shared<impl>(io, std::move(routes))) {}

http_server::~http_server() { close(); }

result<tcp::endpoint> http_server::listen(const std::string& address, unsigned short port) {
  beast::error_code ec;
  const auto addr = boost::asio::ip::make_address(address, ec);
  if (ec) return error{1, address + ": not an IP address"};
  const tcp::endpoint ep(addr, port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) return error{1, address + ":" + std::to_string(port) + ": " + ec.message()};
  auto bound = a.local_endpoint(ec);
  if (ec) return error{1, ec.message()};
  impl_->accept();
  return bound;
}

void http_server::close() {
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
}

}  // namespace core::http
