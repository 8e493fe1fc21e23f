# scheduler/runtime: the engine (plans over a task backend, configuration targets, recovery) and
# the ternmq-scheduler binary.
ternmq_module(scheduler_runtime
  SOURCES runtime/ids.cpp runtime/plan_factory.cpp runtime/launch_builder.cpp runtime/launch_backoff.cpp
          runtime/offer_choice.cpp runtime/service_scheduler.cpp runtime/pod_launcher.cpp
          runtime/configuration_updater.cpp
  DEPS scheduler_plan scheduler_state scheduler_spec scheduler_model scheduler_dns scheduler_offer core_base)
