# scheduler/dns: Mesos-DNS and dcos-net names of the service's tasks, endpoints and VIPs (pure).
ternmq_module(scheduler_dns
  SOURCES dns/mesos_dns.cpp dns/dcos_names.cpp
  DEPS scheduler_model core_base)
