# scheduler/cli: the pure parts (URL, command line, request mapping, status trees), the command
# layer over a scripted transport, and the built ternmq-cli binary against an in-process server.
ternmq_unit_test(scheduler_cli_test
  SOURCES unit/scheduler/cli/scheduler_url_test.cpp unit/scheduler/cli/cli_command_test.cpp
          unit/scheduler/cli/status_tree_test.cpp unit/scheduler/cli/cli_runner_test.cpp
          unit/scheduler/cli/cli_end_to_end_test.cpp
  DEPS scheduler_cli scheduler_api core_kv)
target_compile_definitions(scheduler_cli_test PRIVATE TERNMQ_CLI_BIN="$<TARGET_FILE:ternmq-cli>")
add_dependencies(scheduler_cli_test ternmq-cli)
