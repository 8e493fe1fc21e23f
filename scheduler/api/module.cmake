# scheduler/api: the SDK's /v1 HTTP API as pure queries over `scheduler_operations`, and their
# registration on a core::http::router.
ternmq_module(scheduler_api
  SOURCES api/response.cpp api/pod_groups.cpp api/task_info_json.cpp api/pod_queries.cpp api/endpoint_queries.cpp
          api/service_spec_json.cpp api/config_queries.cpp api/state_queries.cpp api/health_query.cpp
          api/routes.cpp
  DEPS scheduler_dns scheduler_state scheduler_plan scheduler_model core_http nlohmann_json::nlohmann_json)
