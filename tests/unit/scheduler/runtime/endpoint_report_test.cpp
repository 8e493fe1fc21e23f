#include "scheduler/runtime/endpoint_report.hpp"

#include <gtest/gtest.h>

#include "scheduler/spec/service_spec_parser.hpp"

namespace ternmq::scheduler::runtime {
namespace {

model::service_spec spec_named(const std::string& name) {
  auto spec = spec::parse_service_spec(
      "name: \"" + name + "\"\npods:\n  node:\n    count: 2\n    tasks:\n      broker:\n        goal: RUNNING\n"
      "        cmd: run\n        cpus: 1\n        memory: 64\n        discovery: {prefix: \"" + name + "\"}\n"
      "        ports:\n          mqtt: {port: 0, env-key: PORT_MQTT, advertise: true, vip: {prefix: mqtt, port: 1883}}\n"
      "          admin: {port: 0, env-key: PORT_ADMIN}\n");
  EXPECT_TRUE(spec) << spec.err().message;
  return std::move(spec).value();
}

state::task_record node(std::uint32_t index, std::uint16_t port) {
  state::task_record r;
  r.task_name = "node-" + std::to_string(index) + "-broker";
  r.pod_type = "node";
  r.pod_index = index;
  r.task = "broker";
  r.ip = "127.0.0.1";
  r.ports = {{"mqtt", port}, {"admin", static_cast<std::uint16_t>(port + 1)}};
  r.state = state::task_state::running;
  return r;
}

TEST(EndpointReport, EveryAdvertisedPortWithTheDcosNameItStandsFor) {
  auto spec = spec_named("ternmq");
  endpoint_report_input input{&spec, {node(1, 31004), node(0, 31000)}, "ternmq-lb", {{"mqtt", "127.0.0.1:1883"}},
                              "http://127.0.0.1:8080"};
  const std::string report = endpoint_report(input);
  EXPECT_NE(report.find("mqtt           127.0.0.1:1883        mqtt.ternmq.l4lb.thisdcos.directory:1883 (VIP)"),
            std::string::npos) << report;
  EXPECT_NE(report.find("127.0.0.1:31000       _mqtt._ternmq-0._tcp.ternmq.mesos.  "
                        "ternmq-0.ternmq.autoip.dcos.thisdcos.directory:31000"),
            std::string::npos) << report;
  EXPECT_LT(report.find("node-0"), report.find("node-1")) << "nodes in index order";
  EXPECT_EQ(report.find("admin"), std::string::npos) << "ports that are not advertised stay out";
  EXPECT_NE(report.find("api.ternmq.marathon.l4lb.thisdcos.directory:80"), std::string::npos);
}

TEST(EndpointReport, FolderedNamesLoseTheirSlashes) {
  auto spec = spec_named("/prod/mqtt");
  endpoint_report_input input{&spec, {node(0, 31000)}, "", {}, ""};
  const std::string report = endpoint_report(input);
  EXPECT_NE(report.find("_mqtt._prodmqtt-0._tcp.prodmqtt.mesos."), std::string::npos) << report;
  EXPECT_EQ(report.find("entry point"), std::string::npos) << "no entry point, no section";
}

TEST(EndpointReport, TheHintUsesNodeZerosPort) {
  auto spec = spec_named("ternmq");
  endpoint_report_input input{&spec, {node(1, 31004), node(0, 31000)}, "", {}, "http://127.0.0.1:8080"};
  const std::string hint = try_it_hint(input, "/opt/bin/ternmq-cli");
  EXPECT_NE(hint.find("mosquitto_sub -h 127.0.0.1 -p 31000 -t 'demo/#' -v"), std::string::npos) << hint;
  EXPECT_NE(hint.find("/opt/bin/ternmq-cli --url http://127.0.0.1:8080 plan status deploy"), std::string::npos);
  EXPECT_EQ(try_it_hint({&spec, {}, "", {}, ""}, "cli"), "");
}

}  // namespace
}  // namespace ternmq::scheduler::runtime
