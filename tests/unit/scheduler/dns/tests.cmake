ternmq_unit_test(scheduler_dns_test SOURCES unit/scheduler/dns/dns_names_test.cpp DEPS scheduler_dns)
