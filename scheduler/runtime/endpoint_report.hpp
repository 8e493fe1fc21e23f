// The text the local mode prints once the nodes are up: every endpoint with the DC/OS name it
// stands for, so a newcomer sees what a client would use on a real cluster. Pure.
//
//   Endpoints (local address -> the DC/OS name it stands for)
//     entry point (HAProxy, Edge-LB pool "ternmq")
//       mqtt           127.0.0.1:1883    mqtt.ternmq.l4lb.thisdcos.directory:1883
//     node-0
//       mqtt           127.0.0.1:31000   _mqtt._ternmq-0._tcp.ternmq.mesos.  ternmq-0.ternmq.autoip.dcos.thisdcos.directory:31000
//     scheduler API    http://127.0.0.1:8080   api.ternmq.marathon.l4lb.thisdcos.directory:80
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scheduler/model/service_spec.hpp"
#include "scheduler/state/task_record.hpp"

namespace ternmq::scheduler::runtime {

struct entry_point_listener {
  std::string name;     // pool frontend / listener name: "mqtt"
  std::string address;  // "127.0.0.1:1883"
};

struct endpoint_report_input {
  const model::service_spec* spec = nullptr;
  std::vector<state::task_record> tasks;
  std::string pool_name;  // empty: no entry point
  std::vector<entry_point_listener> entry_point;
  std::string api_url;    // "http://127.0.0.1:8080"
};

std::string endpoint_report(const endpoint_report_input& input);

// How to try the service from another shell: mosquitto_sub and mosquitto_pub on node-0's MQTT
// port, and `<cli> plan status deploy`. On one node: until the nodes cluster each is its own
// broker, and the entry point may send a subscriber and a publisher to two different ones.
std::string try_it_hint(const endpoint_report_input& input, const std::string& cli);

}  // namespace ternmq::scheduler::runtime
