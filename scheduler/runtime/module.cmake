# scheduler/runtime: the engine (plans over a task backend, configuration targets, recovery) and
# the ternmq-scheduler binary.
ternmq_module(scheduler_runtime
  SOURCES runtime/ids.cpp runtime/command_line.cpp runtime/rendered_configuration.cpp runtime/endpoint_report.cpp runtime/plan_factory.cpp runtime/launch_builder.cpp runtime/launch_backoff.cpp
          runtime/offer_choice.cpp runtime/service_scheduler.cpp runtime/pod_launcher.cpp
          runtime/configuration_updater.cpp
  DEPS scheduler_plan scheduler_state scheduler_spec scheduler_model scheduler_dns scheduler_offer scheduler_api core_base)

# Local mode: the engine over the local backend, the HTTP API and the HAProxy entry point.
ternmq_module(scheduler_local_service
  SOURCES runtime/local_environment.cpp runtime/entry_point.cpp runtime/local_uninstall.cpp runtime/local_service.cpp
  DEPS scheduler_runtime scheduler_local scheduler_api scheduler_cosmos scheduler_edgelb core_http core_kv)

add_executable(ternmq-scheduler runtime/scheduler_main.cpp)
target_link_libraries(ternmq-scheduler PRIVATE scheduler_local_service)
ternmq_warnings(ternmq-scheduler)
