// The API routes over a fake scheduler, served by a real `core::http::http_server` on
// 127.0.0.1:<any port> with its own loop thread, for tests that go through TCP (the API's own and
// ternmq-cli's end-to-end tests). The handlers run on the loop thread, as in the scheduler;
// `on_loop` runs test changes to the fake scheduler there too, so nothing races.
#pragma once

#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "core/http/http_server.hpp"
#include "scheduler/api/routes.hpp"
#include "tests/unit/scheduler/api/fake_scheduler.hpp"

namespace ternmq::scheduler::api::test_support {

class running_api_server {
 public:
  // `extra` may add routes of its own (as the runtime adds /v1/update/start) before serving starts.
  template <class Extra = void (*)(core::http::router&)>
  explicit running_api_server(Extra extra = [](core::http::router&) {}) {
    auto routes = std::make_shared<core::http::router>();
    add_api_routes(*routes, scheduler_);
    extra(*routes);
    server_ = std::make_unique<core::http::http_server>(io_, routes);
    const auto bound = server_->listen("127.0.0.1", 0);
    if (!bound) throw std::runtime_error(bound.err().message);
    endpoint_ = *bound;
    loop_ = std::thread([this] { io_.run(); });
  }
  ~running_api_server() {
    on_loop([this] { server_->close(); });
    io_.stop();
    loop_.join();
  }
  running_api_server(const running_api_server&) = delete;
  running_api_server& operator=(const running_api_server&) = delete;

  const boost::asio::ip::tcp::endpoint& endpoint() const { return endpoint_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(endpoint_.port()); }

  // Runs `f(scheduler)` on the loop thread and waits for it; returns what `f` returns.
  template <class F>
  std::invoke_result_t<F, fake_scheduler&> with_scheduler(F f) {
    return on_loop([&] { return f(scheduler_); });
  }

 private:
  template <class F>
  std::invoke_result_t<F> on_loop(F f) {
    std::packaged_task<std::invoke_result_t<F>()> task(std::move(f));
    auto result = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    return result.get();
  }

  fake_scheduler scheduler_;
  boost::asio::io_context io_;
  std::unique_ptr<core::http::http_server> server_;
  boost::asio::ip::tcp::endpoint endpoint_;
  std::thread loop_;
};

}  // namespace ternmq::scheduler::api::test_support
