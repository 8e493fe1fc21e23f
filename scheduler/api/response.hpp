// The answers of the /v1 queries: status code plus a JSON body or a plain-text one, the same value
// `scheduler/plan/plan_queries.hpp` returns, so every query stays a pure function and only
// `routes.cpp` turns answers into HTTP. JSON bodies go out pretty-printed with a 2-space indent,
// as the SDK's Jackson/org.json printers do.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/http/http_types.hpp"
#include "scheduler/plan/plan_queries.hpp"

namespace ternmq::scheduler::api {

using response = plans::response;

response json_answer(int code, nlohmann::json body);
response text_answer(int code, std::string body);
// 404 "<Kind> <name> not found", the SDK's `ResponseUtils.notFoundResponse` text.
response not_found(std::string_view kind, std::string_view name);

// The HTTP form: JSON as `application/json` dumped with a 2-space indent, text as `text/plain`.
// Codes that may carry no body (1xx, 204, 304) go out without one.
core::http::response to_http(const response& answer);

}  // namespace ternmq::scheduler::api
