// A small blocking HTTP/1.1 client for `ternmq-cli` (Beast over the project's compiled Asio): one
// request per connection (`Connection: close`), every step bounded by a timeout, errors as values
// that tell "could not connect" (nothing listening, unknown host) from failures after connecting.
// Not for the scheduler itself, which never blocks. Thread-safe: each call has its own io_context.
#pragma once

#include <chrono>
#include <string>

#include "core/base/result.hpp"
#include "scheduler/cli/scheduler_url.hpp"

namespace ternmq::scheduler::cli {

// One request: method, target relative to the URL's base path (path and query, already escaped),
// and a body sent as `application/json` when non-empty.
struct http_call {
  std::string method;  // "GET", "POST"
  std::string target;  // "/v1/plans/deploy/restart?phase=node"
  std::string body;
  friend bool operator==(const http_call&, const http_call&) = default;
};

struct http_reply {
  int status = 0;
  std::string content_type;
  std::string body;
};

enum class http_errc {
  cannot_connect = 1,  // resolve or connect failed: the message names the URL and the reason
  failed = 2,          // connected, but the exchange failed or timed out
};

core::result<http_reply> send_http(const scheduler_url& url, const http_call& call,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace ternmq::scheduler::cli
