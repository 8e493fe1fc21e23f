// Building query answers and turning them into HTTP responses.
#include "scheduler/api/response.hpp"

#include <utility>

namespace ternmq::scheduler::api {

response json_answer(int code, nlohmann::json body) { return response{code, true, std::move(body), {}}; }

response text_answer(int code, std::string body) { return response{code, false, nullptr, std::move(body)}; }

response not_found(std::string_view kind, std::string_view name) {
  return text_answer(404, std::string(kind) + " " + std::string(name) + " not found");
}

core::http::response to_http(const response& answer) {
  // HTTP allows no body with 1xx, 204 and 304 (RFC 9110 15.3.5, 15.4.5), and Beast refuses to
  // send one; the SDK's Jersey drops it too. This matters for /v1/health's 204.
  if (answer.code < 200 || answer.code == 204 || answer.code == 304) {
    return core::http::response{answer.code, answer.is_json ? "application/json" : "text/plain", {}};
  }
  if (!answer.is_json) return core::http::text_response(answer.code, answer.text);
  // Invalid UTF-8 in a stored string (a task message, say) must not turn an answer into an
  // exception: replace it instead.
  return core::http::json_response(answer.code, answer.json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace ternmq::scheduler::api
