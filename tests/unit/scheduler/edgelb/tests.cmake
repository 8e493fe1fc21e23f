# scheduler/edgelb: pool template and parser, server selection, haproxy.cfg, and the real HAProxy
# (/usr/sbin/haproxy; its tests skip when it is missing).
ternmq_unit_test(scheduler_edgelb_test
  SOURCES unit/scheduler/edgelb/pool_template_test.cpp unit/scheduler/edgelb/pool_parser_test.cpp
          unit/scheduler/edgelb/server_selection_test.cpp unit/scheduler/edgelb/haproxy_config_test.cpp
          unit/scheduler/edgelb/bind_probe_test.cpp unit/scheduler/edgelb/haproxy_process_test.cpp
          unit/scheduler/edgelb/echo_server.cpp
  DEPS scheduler_edgelb)
target_compile_definitions(scheduler_edgelb_test PRIVATE TERNMQ_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                           TERNMQ_HAPROXY="/usr/sbin/haproxy")
