# Unit tests of scheduler/local: real processes (sh, sleep, tar) in temporary work_dirs, a manual
# clock for check intervals and kill grace periods.
ternmq_unit_test(scheduler_local_test
  SOURCES unit/scheduler/local/test_support.cpp unit/scheduler/local/backend_fixture.cpp
          unit/scheduler/local/process_test.cpp unit/scheduler/local/health_policy_test.cpp
          unit/scheduler/local/port_availability_test.cpp unit/scheduler/local/task_checkpoint_test.cpp
          unit/scheduler/local/sandbox_test.cpp unit/scheduler/local/local_backend_launch_test.cpp
          unit/scheduler/local/local_backend_offers_test.cpp unit/scheduler/local/local_backend_kill_test.cpp
          unit/scheduler/local/local_backend_checks_test.cpp unit/scheduler/local/local_backend_recovery_test.cpp
  DEPS scheduler_local)
