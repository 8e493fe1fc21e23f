// The HTTP router: literal and captured segments, 404 vs 405, query decoding.
#include "core/http/router.hpp"

#include <gtest/gtest.h>

namespace core::http {
namespace {

router make_router() {
  router r;
  r.add("GET", "/v1/plans", [](const request&) { return json_response(200, "list"); });
  r.add("GET", "/v1/plans/{plan}", [](const request& q) { return json_response(200, "plan " + q.params.at(0)); });
  r.add("POST", "/v1/plans/{plan}/start", [](const request& q) { return json_response(200, "start " + q.params.at(0)); });
  return r;
}

request get(std::string path, std::string method = "GET") {
  request q;
  q.method = std::move(method);
  q.path = std::move(path);
  return q;
}

TEST(RouterTest, MatchesLiteralsAndCaptures) {
  const router r = make_router();
  EXPECT_EQ(r.dispatch(get("/v1/plans")).body, "list");
  EXPECT_EQ(r.dispatch(get("/v1/plans/deploy")).body, "plan deploy");
  EXPECT_EQ(r.dispatch(get("/v1/plans/deploy/")).body, "plan deploy");  // a trailing slash is the same path
  EXPECT_EQ(r.dispatch(get("/v1/plans/de%2Fploy")).body, "plan de/ploy");
  EXPECT_EQ(r.dispatch(get("/v1/plans/update/start", "POST")).body, "start update");
}

TEST(RouterTest, UnknownPathIs404AndWrongMethodIs405) {
  const router r = make_router();
  EXPECT_EQ(r.dispatch(get("/v1/nothing")).status, 404);
  EXPECT_EQ(r.dispatch(get("/v1/plans/deploy/start")).status, 405);
  EXPECT_EQ(r.dispatch(get("/v1/plans", "DELETE")).status, 405);
}

TEST(QueryTest, DecodesPairsAndEscapes) {
  const auto q = parse_query("a=1&b=two+words&c=%41%42&flag");
  EXPECT_EQ(q.at("a"), "1");
  EXPECT_EQ(q.at("b"), "two words");
  EXPECT_EQ(q.at("c"), "AB");
  EXPECT_EQ(q.at("flag"), "");
  EXPECT_TRUE(parse_query("").empty());
}

}  // namespace
}  // namespace core::http
