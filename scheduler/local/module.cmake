# scheduler/local: the local backend, running tasks as processes on this machine like Mesos agents
# (sandboxes, fetch, volumes, rlimits, checks, kill escalation, checkpoints and re-attachment).
find_package(nlohmann_json REQUIRED)
ternmq_module(scheduler_local
  SOURCES local/file_io.cpp local/proc_stat.cpp local/rlimits.cpp local/process.cpp local/watched_process.cpp
          local/task_environment.cpp local/sandbox.cpp local/fetcher.cpp local/check_runner.cpp
          local/health_policy.cpp local/task_checkpoint.cpp local/port_availability.cpp local/task_runner.cpp
          local/local_backend.cpp local/local_backend_launch.cpp
  DEPS scheduler_state scheduler_model core_base nlohmann_json::nlohmann_json)
