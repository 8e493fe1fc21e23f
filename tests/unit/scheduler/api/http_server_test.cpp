// The API behind a real `core::http::http_server` on 127.0.0.1:0: requests over TCP reach the
// routes and the answers come back with their status, content type and pretty JSON body.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "tests/unit/scheduler/api/running_api_server.hpp"

namespace ternmq::scheduler::api {
namespace {

namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

// One request on its own connection, with a blocking client on the test thread.
bhttp::response<bhttp::string_body> fetch(const tcp::endpoint& server, bhttp::verb method, const std::string& target) {
  boost::asio::io_context io;
  tcp::socket socket(io);
  socket.connect(server);
  bhttp::request<bhttp::string_body> req(method, target, 11);
  req.set(bhttp::field::host, "127.0.0.1");
  req.keep_alive(false);
  req.prepare_payload();
  bhttp::write(socket, req);
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(socket, buffer, res);
  return res;
}

TEST(ApiOverHttp, ServesThePlansAndHealthOverTcp) {
  test_support::running_api_server server;
  const tcp::endpoint& at = server.endpoint();

  const auto plan = fetch(at, bhttp::verb::get, "/v1/plans/deploy");
  EXPECT_EQ(plan.result_int(), 202u);
  EXPECT_EQ(plan[bhttp::field::content_type], "application/json");
  EXPECT_TRUE(plan.body().starts_with("{\n  \"errors\": [],\n  \"phases\": [")) << plan.body();

  // 204 (deploying, awaiting resources) may carry no body in HTTP: the code is the answer.
  const auto health = fetch(at, bhttp::verb::get, "/v1/health?verbose=true");
  EXPECT_EQ(health.result_int(), 204u);
  EXPECT_EQ(health.body(), "");

  const auto interrupt = fetch(at, bhttp::verb::post, "/v1/plans/deploy/interrupt");
  EXPECT_EQ(interrupt.result_int(), 200u);
  EXPECT_EQ(interrupt.body(), "{\n  \"message\": \"Received cmd: interrupt\"\n}");
  EXPECT_TRUE(server.with_scheduler([](test_support::fake_scheduler& s) { return s.deploy().interrupted(); }));

  const auto waiting = fetch(at, bhttp::verb::get, "/v1/health?verbose=true");
  EXPECT_EQ(waiting.result_int(), 207u);
  EXPECT_NE(waiting.body().find("\"reasons\""), std::string::npos);

  const auto missing = fetch(at, bhttp::verb::get, "/v1/endpoints/nope");
  EXPECT_EQ(missing.result_int(), 404u);
  EXPECT_EQ(missing.body(), "");
}

}  // namespace
}  // namespace ternmq::scheduler::api
