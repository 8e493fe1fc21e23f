# scheduler/api: the /v1 routes through router::dispatch over a fake scheduler made of real parts,
# and once through a real http_server.
ternmq_unit_test(scheduler_api_test
  SOURCES unit/scheduler/api/plan_routes_test.cpp unit/scheduler/api/pod_routes_test.cpp
          unit/scheduler/api/endpoint_routes_test.cpp unit/scheduler/api/config_state_routes_test.cpp
          unit/scheduler/api/health_test.cpp unit/scheduler/api/service_spec_json_test.cpp
          unit/scheduler/api/http_server_test.cpp
  DEPS scheduler_api core_kv)
