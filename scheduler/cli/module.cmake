# scheduler/cli: ternmq-cli, the client of the scheduler's /v1 API (the `dcos ternmq ...` commands):
# argument parsing, request mapping and status trees (pure), the command layer over an injected
# transport, and a blocking Beast HTTP client.
ternmq_module(scheduler_cli
  SOURCES cli/scheduler_url.cpp cli/http_client.cpp cli/cli_command.cpp cli/api_calls.cpp cli/status_tree.cpp
          cli/cli_runner.cpp
  DEPS core_asio core_base nlohmann_json::nlohmann_json)

add_executable(ternmq-cli cli/main.cpp)
target_link_libraries(ternmq-cli PRIVATE scheduler_cli)
ternmq_warnings(ternmq-cli)
