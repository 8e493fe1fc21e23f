ternmq_unit_test(scheduler_runtime_test
  SOURCES unit/scheduler/runtime/service_scheduler_test.cpp unit/scheduler/runtime/plan_factory_test.cpp
          unit/scheduler/runtime/command_line_test.cpp unit/scheduler/runtime/endpoint_report_test.cpp
  DEPS scheduler_runtime core_kv)
