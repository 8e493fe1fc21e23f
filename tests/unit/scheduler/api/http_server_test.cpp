// The API behind a real `core::http::http_server` on 127.0.0.1:0: requests over TCP reach the
// routes and the answers come back with their status, content type and pretty JSON body.
#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "core/http/http_server.hpp"
#include "scheduler/api/routes.hpp"
#include "tests/unit/scheduler/api/fake_scheduler.hpp"

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

// Runs `f` on the thread running `io`, as the scheduler's own changes happen, and waits for it.
template <class F>
void on_loop(boost::asio::io_context& io, F f) {
  std::promise<void> done;
  boost::asio::post(io, [&] {
    f();
    done.set_value();
  });
  done.get_future().wait();
}

TEST(ApiOverHttp, ServesThePlansAndHealthOverTcp) {
  test_support::fake_scheduler scheduler;
  auto routes = std::make_shared<core::http::router>();
  add_api_routes(*routes, scheduler);

  boost::asio::io_context io;
  core::http::http_server server(io, routes);
  const auto bound = server.listen("127.0.0.1", 0);
  ASSERT_TRUE(bound) << bound.err().message;
  std::thread loop([&io] { io.run(); });

  const auto plan = fetch(*bound, bhttp::verb::get, "/v1/plans/deploy");
  EXPECT_EQ(plan.result_int(), 202);
  EXPECT_EQ(plan[bhttp::field::content_type], "application/json");
  EXPECT_TRUE(plan.body().starts_with("{\n  \"errors\": [],\n  \"phases\": [")) << plan.body();

  // 204 (deploying, awaiting resources) may carry no body in HTTP: the code is the answer.
  const auto health = fetch(*bound, bhttp::verb::get, "/v1/health?verbose=true");
  EXPECT_EQ(health.result_int(), 204);
  EXPECT_EQ(health.body(), "");
  on_loop(io, [&] { scheduler.deploy().interrupt(); });
  const auto waiting = fetch(*bound, bhttp::verb::get, "/v1/health?verbose=true");
  EXPECT_EQ(waiting.result_int(), 207);
  EXPECT_NE(waiting.body().find("\"reasons\""), std::string::npos);
  on_loop(io, [&] { scheduler.deploy().proceed(); });

  const auto interrupt = fetch(*bound, bhttp::verb::post, "/v1/plans/deploy/interrupt?phase=node");
  EXPECT_EQ(interrupt.result_int(), 200);
  EXPECT_EQ(interrupt.body(), "{\n  \"message\": \"Received cmd: interrupt\"\n}");

  const auto missing = fetch(*bound, bhttp::verb::get, "/v1/endpoints/nope");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(missing.body(), "");

  server.close();
  io.stop();
  loop.join();
  // The handlers ran on the loop thread; it has stopped, so reading the plans here is safe.
  EXPECT_TRUE(scheduler.deploy().phases()[0].interrupted());
}

}  // namespace
}  // namespace ternmq::scheduler::api
