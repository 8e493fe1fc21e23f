// The names Mesos-DNS gives a service's tasks (mesos-dns `records/labels` and `records/generator`):
// label sanitisation, the framework part of every name, the discovery name the SDK puts in a task's
// `DiscoveryInfo.name`, and the A and named SRV records clients look up, e.g.
// `_mqtt._ternmq-0._tcp.ternmq.mesos.` for port `mqtt` of the first broker of service `ternmq`.
// These are the names operators paste into clients and Edge-LB pools, so they follow Mesos-DNS
// character for character (mesos-dns `records/labels/labels.go`, `records/chains.go`). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scheduler/model/task_spec.hpp"

namespace ternmq::scheduler::dns {

// One DNS label from arbitrary text, Mesos-DNS RFC1123 mode: `A-Z` lowered, `a-z0-9` kept, `-`, `.`
// and `_` become `-`, every other character (including `/`) is dropped; then leading `-` trimmed,
// cut to 63 characters, trailing `-` trimmed. May return "" (for "/" or "---").
std::string sanitize_label(std::string_view text);

// A multi-label domain fragment (Mesos-DNS `DomainFrag`): split on `.`, sanitise each part, drop
// the empty ones, join with `.`. "/prod/mqtt" -> "prodmqtt", "mqtt.prod" -> "mqtt.prod".
std::string domain_frag(std::string_view name);

// The name the scheduler puts in the task's `DiscoveryInfo.name` (unsanitised, as the SDK does):
// "<discovery.prefix>-<index>" when the task spec has a discovery prefix, else the task name
// "<pod>-<index>-<task>".
std::string discovery_name(const model::task_spec& task, std::string_view pod_type, std::uint32_t index);

// "<sanitised discovery name>.<framework fragment>.mesos": the task's A record.
std::string task_hostname(std::string_view discovery_name, std::string_view framework_name);

// The named SRV record of one discovery port, with the trailing dot Mesos-DNS writes:
// "_<port>._<discovery name>._<protocol>.<framework fragment>.mesos.". `protocol` is "tcp" or "udp".
std::string named_srv_record(std::string_view port_name, std::string_view discovery_name,
                             std::string_view framework_name, std::string_view protocol = "tcp");

}  // namespace ternmq::scheduler::dns
