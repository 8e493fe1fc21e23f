// Registers the scheduler's HTTP API (the DC/OS SDK's `/v1/...` endpoints that apply to this
// scheduler) on a `core::http::router`. Each route parses the path and query, calls one pure query
// function (plan_queries, pod_queries, endpoint_queries, config_queries, state_queries,
// health_query) and sends its answer; no logic lives here.
//
// The runtime builds one router, calls `add_api_routes`, adds routes of its own (such as
// `POST /v1/update/start` in local mode) and serves it with `core::http::http_server` on the
// scheduler's io_context, so that every handler runs on the scheduler's event loop and may use
// `ops` without locking. `ops` must outlive the router.
//
//   GET  /v1/plans, /v1/plans/<plan>
//   POST /v1/plans/<plan>/{start,stop,continue,interrupt,forceComplete,restart}[?phase=&step=]
//   GET  /v1/pod, /v1/pod/status, /v1/pod/<pod>/{status,info}
//   POST /v1/pod/<pod>/{restart,replace}
//   GET  /v1/endpoints, /v1/endpoints/<name>
//   GET  /v1/configurations, /v1/configurations/{targetId,target,<id>}
//   GET  /v1/state/frameworkId, /v1/state/properties, /v1/state/properties/<key>
//   GET  /v1/health[?verbose=true]
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/base/result.hpp"
#include "core/http/router.hpp"
#include "scheduler/api/scheduler_operations.hpp"

namespace ternmq::scheduler::api {

void add_api_routes(core::http::router& routes, scheduler_operations& ops);

// The body of `POST /v1/plans/<plan>/start`: empty, or a JSON object whose values are strings
// (numbers and booleans are taken as their JSON text). Error message for anything else.
core::result<std::map<std::string, std::string>> parse_plan_parameters(std::string_view body);

}  // namespace ternmq::scheduler::api
