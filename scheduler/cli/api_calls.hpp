// Which request each `ternmq-cli` command sends (the SDK CLI's `queries` package): method, path
// with escaped plan, pod and step names, query parameters and body. Pure; thread-safe.
//
//   plan start   -> POST /v1/plans/<plan>/start with the -p parameters as a JSON object
//   plan pause   -> POST /v1/plans/<plan>/interrupt[?phase=P]
//   plan resume  -> POST /v1/plans/<plan>/continue[?phase=P]
//   plan restart -> POST /v1/plans/<plan>/restart[?phase=P[&step=S]]
//   plan force-complete -> POST /v1/plans/<plan>/forceComplete[?phase=P[&step=S]]
//   update start -> POST /v1/update/start with the options file's JSON as the body
//   update status -> GET /v1/plans/deploy (the SDK serves the update plan as `deploy`)
#pragma once

#include <string>
#include <string_view>

#include "scheduler/cli/cli_command.hpp"
#include "scheduler/cli/http_client.hpp"

namespace ternmq::scheduler::cli {

// REQUIRES: `cmd.kind` is not `help`. `options_json` is the body of `update start` (the options
// file's contents), unused otherwise.
http_call call_for(const cli_command& cmd, std::string_view options_json = {});

// Percent-encodes everything but RFC 3986 unreserved characters, for path segments and query values.
std::string url_escape(std::string_view text);

}  // namespace ternmq::scheduler::cli
