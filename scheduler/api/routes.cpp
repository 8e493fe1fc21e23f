// The /v1 routes: path and query parsing only; each calls one query function.
#include "scheduler/api/routes.hpp"

#include <utility>

#include <nlohmann/json.hpp>

#include "scheduler/api/config_queries.hpp"
#include "scheduler/api/endpoint_queries.hpp"
#include "scheduler/api/health_query.hpp"
#include "scheduler/api/pod_queries.hpp"
#include "scheduler/api/response.hpp"
#include "scheduler/api/state_queries.hpp"
#include "scheduler/plan/plan_queries.hpp"

namespace ternmq::scheduler::api {
namespace {

using core::http::request;

std::string query_value(const request& req, const std::string& name) {
  const auto it = req.query.find(name);
  return it == req.query.end() ? std::string() : it->second;
}

const std::string& param(const request& req, std::size_t i) { return req.params.at(i); }

template <class Query>
core::http::router::handler answer(Query query) {
  return [query = std::move(query)](const request& req) { return to_http(query(req)); };
}

void add_plan_routes(core::http::router& routes, scheduler_operations& ops) {
  routes.add("GET", "/v1/plans", answer([&ops](const request&) { return plans::list_plans(ops.plans()); }));
  routes.add("GET", "/v1/plans/{plan}",
             answer([&ops](const request& r) { return plans::get_plan(ops.plans(), param(r, 0)); }));
  routes.add("POST", "/v1/plans/{plan}/start", answer([&ops](const request& r) {
               auto parameters = parse_plan_parameters(r.body);
               if (!parameters) return text_answer(400, "Couldn't parse parameters: " + parameters.err().message);
               return plans::start_plan(ops.plans(), param(r, 0), *parameters);
             }));
  routes.add("POST", "/v1/plans/{plan}/stop",
             answer([&ops](const request& r) { return plans::stop_plan(ops.plans(), param(r, 0)); }));
  routes.add("POST", "/v1/plans/{plan}/continue", answer([&ops](const request& r) {
               return plans::continue_plan(ops.plans(), param(r, 0), query_value(r, "phase"));
             }));
  routes.add("POST", "/v1/plans/{plan}/interrupt", answer([&ops](const request& r) {
               return plans::interrupt_plan(ops.plans(), param(r, 0), query_value(r, "phase"));
             }));
  routes.add("POST", "/v1/plans/{plan}/forceComplete", answer([&ops](const request& r) {
               return plans::force_complete(ops.plans(), param(r, 0), query_value(r, "phase"), query_value(r, "step"));
             }));
  routes.add("POST", "/v1/plans/{plan}/restart", answer([&ops](const request& r) {
               return plans::restart(ops.plans(), param(r, 0), query_value(r, "phase"), query_value(r, "step"));
             }));
}

void add_pod_routes(core::http::router& routes, scheduler_operations& ops) {
  routes.add("GET", "/v1/pod", answer([&ops](const request&) { return list_pods(ops); }));
  routes.add("GET", "/v1/pod/status", answer([&ops](const request&) { return pod_statuses(ops); }));
  routes.add("GET", "/v1/pod/{pod}/status", answer([&ops](const request& r) { return pod_status(ops, param(r, 0)); }));
  routes.add("GET", "/v1/pod/{pod}/info", answer([&ops](const request& r) { return pod_info(ops, param(r, 0)); }));
  routes.add("POST", "/v1/pod/{pod}/restart", answer([&ops](const request& r) { return restart_pod(ops, param(r, 0)); }));
  routes.add("POST", "/v1/pod/{pod}/replace", answer([&ops](const request& r) { return replace_pod(ops, param(r, 0)); }));
}

void add_service_routes(core::http::router& routes, scheduler_operations& ops) {
  routes.add("GET", "/v1/endpoints", answer([&ops](const request&) { return list_endpoints(ops.target_spec()); }));
  routes.add("GET", "/v1/endpoints/{name}", answer([&ops](const request& r) {
               return get_endpoint(ops.target_spec(), ops.store().tasks(), param(r, 0));
             }));
  routes.add("GET", "/v1/configurations", answer([&ops](const request&) { return list_configurations(ops.store()); }));
  // Literal segments before the `{id}` capture: the router takes the first pattern that matches.
  routes.add("GET", "/v1/configurations/targetId", answer([&ops](const request&) { return target_id(ops.store()); }));
  routes.add("GET", "/v1/configurations/target",
             answer([&ops](const request&) { return get_target_configuration(ops.store()); }));
  routes.add("GET", "/v1/configurations/{id}",
             answer([&ops](const request& r) { return get_configuration(ops.store(), param(r, 0)); }));
  routes.add("GET", "/v1/state/frameworkId", answer([&ops](const request&) { return framework_id(ops.store()); }));
  routes.add("GET", "/v1/state/properties", answer([&ops](const request&) { return property_keys(ops.store()); }));
  routes.add("GET", "/v1/state/properties/{key}",
             answer([&ops](const request& r) { return property(ops.store(), param(r, 0)); }));
  routes.add("GET", "/v1/health", answer([&ops](const request& r) {
               return health(ops.plans(), ops.store().tasks(), query_value(r, "verbose") == "true");
             }));
}

}  // namespace

core::result<std::map<std::string, std::string>> parse_plan_parameters(std::string_view body) {
  std::map<std::string, std::string> out;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return out;
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return core::error{1, "expected a JSON object of strings"};
  for (const auto& [key, value] : json.items()) {
    if (value.is_string()) {
      out[key] = value.get<std::string>();
    } else if (value.is_number() || value.is_boolean()) {
      out[key] = value.dump();
    } else {
      return core::error{1, "the value of " + key + " is not a string"};
    }
  }
  return out;
}

void add_api_routes(core::http::router& routes, scheduler_operations& ops) {
  add_plan_routes(routes, ops);
  add_pod_routes(routes, ops);
  add_service_routes(routes, ops);
}

}  // namespace ternmq::scheduler::api
