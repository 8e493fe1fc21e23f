// The blocking Beast client: resolve, connect, write, read, each under the stream's timeout.
#include "scheduler/cli/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace ternmq::scheduler::cli {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

constexpr std::size_t k_body_limit = 64 * 1024 * 1024;

core::error failure(http_errc code, const scheduler_url& url, const std::string& what, const beast::error_code& ec) {
  return core::error{static_cast<int>(code), what + " " + url.text + ": " + ec.message()};
}

// Runs the one pending operation on `io` to completion (the stream's timer bounds it).
void run(boost::asio::io_context& io) {
  io.run();
  io.restart();
}

}  // namespace

core::result<http_reply> send_http(const scheduler_url& url, const http_call& call, std::chrono::milliseconds timeout) {
  boost::asio::io_context io;
  beast::error_code ec;
  tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(url.host, std::to_string(url.port), ec);
  if (ec) return failure(http_errc::cannot_connect, url, "cannot connect to the scheduler at", ec);

  beast::tcp_stream stream(io);
  stream.expires_after(timeout);
  stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
  run(io);
  if (ec) return failure(http_errc::cannot_connect, url, "cannot connect to the scheduler at", ec);

  const bhttp::verb verb = bhttp::string_to_verb(call.method);
  if (verb == bhttp::verb::unknown) return core::error{static_cast<int>(http_errc::failed), "unknown method " + call.method};
  bhttp::request<bhttp::string_body> req(verb, url.base_path + call.target, 11);
  req.set(bhttp::field::host, url.host + ":" + std::to_string(url.port));
  req.set(bhttp::field::user_agent, "ternmq-cli");
  req.set(bhttp::field::accept, "application/json, text/plain");
  if (!call.body.empty()) req.set(bhttp::field::content_type, "application/json");
  req.body() = call.body;
  req.keep_alive(false);
  req.prepare_payload();

  stream.expires_after(timeout);
  bhttp::async_write(stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
  run(io);
  if (ec) return failure(http_errc::failed, url, "no answer from the scheduler at", ec);

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(k_body_limit);
  stream.expires_after(timeout);
  bhttp::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
  run(io);
  if (ec) return failure(http_errc::failed, url, "no answer from the scheduler at", ec);

  auto res = parser.release();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return http_reply{static_cast<int>(res.result_int()), std::string(res[bhttp::field::content_type]), std::move(res.body())};
}

}  // namespace ternmq::scheduler::cli
