# scheduler/edgelb: the Edge-LB pool (template rendering, parsing), haproxy.cfg generation from the
# pool and the running tasks, and the local-mode HAProxy process (start, check, reload, stop).
find_package(nlohmann_json REQUIRED)
ternmq_module(scheduler_edgelb
  SOURCES edgelb/json_fields.cpp edgelb/pool_parser.cpp edgelb/pool_template.cpp edgelb/server_selection.cpp
          edgelb/haproxy_config.cpp edgelb/child_process.cpp edgelb/bind_probe.cpp edgelb/haproxy_pid_file.cpp
          edgelb/haproxy_admin.cpp edgelb/haproxy_process.cpp
  DEPS scheduler_cosmos scheduler_spec core_base nlohmann_json::nlohmann_json)
