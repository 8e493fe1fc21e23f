// A fixture for the route tests: the fake scheduler, a router with every API route on it, and
// helpers to send a request through `router::dispatch` and read a JSON answer.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "core/http/router.hpp"
#include "scheduler/api/routes.hpp"
#include "tests/unit/scheduler/api/fake_scheduler.hpp"

namespace ternmq::scheduler::api::test_support {

class ApiTest : public ::testing::Test {
 protected:
  ApiTest() { add_api_routes(routes_, scheduler_); }

  // `target` may carry a query string: "/v1/plans/deploy/restart?phase=node&step=node-0:[broker]".
  core::http::response call(const std::string& method, const std::string& target, std::string body = {}) const {
    core::http::request req;
    req.method = method;
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = core::http::parse_query(target.substr(q + 1));
    req.body = std::move(body);
    return routes_.dispatch(std::move(req));
  }
  core::http::response get(const std::string& target) const { return call("GET", target); }
  core::http::response post(const std::string& target, std::string body = {}) const {
    return call("POST", target, std::move(body));
  }

  // The body as JSON; a test failure (and null) when it is not JSON.
  static nlohmann::json json_of(const core::http::response& r) {
    EXPECT_EQ(r.content_type, "application/json") << r.body;
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.body;
    return j.is_discarded() ? nlohmann::json() : j;
  }

  fake_scheduler scheduler_;
  core::http::router routes_;
};

}  // namespace ternmq::scheduler::api::test_support
