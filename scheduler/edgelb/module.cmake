# scheduler/edgelb: the Edge-LB pool (template rendering, parsing) and haproxy.cfg generation from the
# pool and the running tasks.
find_package(nlohmann_json REQUIRED)
ternmq_module(scheduler_edgelb
  SOURCES edgelb/json_fields.cpp edgelb/pool_parser.cpp edgelb/pool_template.cpp edgelb/server_selection.cpp
          edgelb/haproxy_config.cpp edgelb/child_process.cpp
  DEPS scheduler_spec core_base nlohmann_json::nlohmann_json)
