// Tests for the Mesos-DNS and dcos-net names, with the worked examples of the DC/OS reference
// (service `mqtt`, pod `broker`, task `node`, port `mqtt`), the HiveMQ-style names of the
// connecting-clients page (`_mqtt._ternmq-0._tcp.ternmq.mesos.`) and foldered services.
#include <gtest/gtest.h>

#include <string>

#include "scheduler/dns/dcos_names.hpp"
#include "scheduler/dns/mesos_dns.hpp"

namespace ternmq::scheduler::dns {
namespace {

model::task_spec task_named(std::string name, std::string prefix = {}) {
  model::task_spec t;
  t.name = std::move(name);
  if (!prefix.empty()) t.discovery = model::discovery_spec{std::move(prefix), {}};
  return t;
}

TEST(SanitizeLabel, FollowsMesosDnsRfc1123Rules) {
  EXPECT_EQ(sanitize_label("broker-0-node"), "broker-0-node");
  EXPECT_EQ(sanitize_label("Broker_0.Node"), "broker-0-node");  // upper case lowered; `_` and `.` -> `-`
  EXPECT_EQ(sanitize_label("/prod/mqtt"), "prodmqtt");          // slashes dropped, nothing inserted
  EXPECT_EQ(sanitize_label("a b*c!d"), "abcd");                  // anything else dropped
  EXPECT_EQ(sanitize_label("--mqtt--"), "mqtt");                 // leading and trailing dashes trimmed
  EXPECT_EQ(sanitize_label("0node"), "0node");                   // RFC1123 keeps leading digits
  EXPECT_EQ(sanitize_label("/"), "");
  EXPECT_EQ(sanitize_label("._-"), "");
}

TEST(SanitizeLabel, CutsAt63CharactersThenTrimsTrailingDashes) {
  const std::string long_name = std::string(62, 'a') + "-bcd";
  EXPECT_EQ(sanitize_label(long_name), std::string(62, 'a'));
  EXPECT_EQ(sanitize_label(std::string(70, 'x')).size(), 63u);
}

TEST(DomainFrag, KeepsDotsAsLabelSeparatorsAndDropsSlashes) {
  EXPECT_EQ(domain_frag("mqtt"), "mqtt");
  EXPECT_EQ(domain_frag("/prod/mqtt"), "prodmqtt");
  EXPECT_EQ(domain_frag("mqtt.prod"), "mqtt.prod");
  EXPECT_EQ(domain_frag("/a/b.c_d"), "ab.c-d");
  EXPECT_EQ(domain_frag("a..b./"), "a.b");  // empty parts dropped
  EXPECT_EQ(domain_frag("/api.ternmq"), "api.ternmq");
}

TEST(DiscoveryName, PrefixAndIndexElseTheTaskName) {
  EXPECT_EQ(discovery_name(task_named("node"), "broker", 0), "broker-0-node");
  EXPECT_EQ(discovery_name(task_named("broker", "ternmq"), "node", 2), "ternmq-2");
  EXPECT_EQ(discovery_name(task_named("broker", "/prod/ternmq"), "node", 1), "/prod/ternmq-1");
}

TEST(MesosDnsRecords, WorkedExampleOfTheReference) {
  // Service `mqtt`, pod `broker`, task `node`, port `mqtt`.
  const std::string name = discovery_name(task_named("node"), "broker", 0);
  EXPECT_EQ(task_hostname(name, "mqtt"), "broker-0-node.mqtt.mesos");
  EXPECT_EQ(named_srv_record("mqtt", name, "mqtt"), "_mqtt._broker-0-node._tcp.mqtt.mesos.");
  EXPECT_EQ(named_srv_record("mqtt", name, "/prod/mqtt"), "_mqtt._broker-0-node._tcp.prodmqtt.mesos.");
  EXPECT_EQ(named_srv_record("mqtt", "hivemq-0", "hivemq"), "_mqtt._hivemq-0._tcp.hivemq.mesos.");
  EXPECT_EQ(named_srv_record("mqtt", name, "mqtt", "udp"), "_mqtt._broker-0-node._udp.mqtt.mesos.");
}

TEST(MesosDnsRecords, SeedTableNamesForTernmq) {
  // svc.yml: `discovery: prefix: {{FRAMEWORK_NAME}}`, as in the HiveMQ package.
  const model::task_spec broker = task_named("broker", "ternmq");
  EXPECT_EQ(named_srv_record("mqtt", discovery_name(broker, "node", 0), "ternmq"), "_mqtt._ternmq-0._tcp.ternmq.mesos.");
  EXPECT_EQ(named_srv_record("mqtt-tls", discovery_name(broker, "node", 1), "ternmq"),
            "_mqtt-tls._ternmq-1._tcp.ternmq.mesos.");
  EXPECT_EQ(named_srv_record("websocket-tls", discovery_name(broker, "node", 2), "ternmq"),
            "_websocket-tls._ternmq-2._tcp.ternmq.mesos.");
  // Foldered: the separators vanish from both the discovery name and the framework part.
  const model::task_spec foldered = task_named("broker", "/prod/ternmq");
  EXPECT_EQ(named_srv_record("mqtt", discovery_name(foldered, "node", 0), "/prod/ternmq"),
            "_mqtt._prodternmq-0._tcp.prodternmq.mesos.");
}

TEST(AutoipNames, ServiceIsOneLabel) {
  EXPECT_EQ(autoip_domain("mqtt"), "mqtt.autoip.dcos.thisdcos.directory");
  EXPECT_EQ(autoip_domain("/prod/mqtt"), "prodmqtt.autoip.dcos.thisdcos.directory");
  EXPECT_EQ(autoip_domain("mqtt.prod"), "mqtt-prod.autoip.dcos.thisdcos.directory");
  EXPECT_EQ(autoip_hostname("broker-0-node", "mqtt"), "broker-0-node.mqtt.autoip.dcos.thisdcos.directory");
  EXPECT_EQ(autoip_endpoint("ternmq-0", "ternmq", 1025), "ternmq-0.ternmq.autoip.dcos.thisdcos.directory:1025");
  EXPECT_EQ(autoip_endpoint("/prod/ternmq-1", "/prod/ternmq", 31000),
            "prodternmq-1.prodternmq.autoip.dcos.thisdcos.directory:31000");
}

TEST(VipNames, EachPartThroughDomainFrag) {
  EXPECT_EQ(framework_vip_host("ternmq"), "ternmq.l4lb.thisdcos.directory");
  EXPECT_EQ(framework_vip_host("/prod/ternmq"), "prodternmq.l4lb.thisdcos.directory");
  EXPECT_EQ(vip_hostname("mqtt", "mqtt"), "mqtt.mqtt.l4lb.thisdcos.directory");
  EXPECT_EQ(vip_endpoint("mqtt", "mqtt", 1883), "mqtt.mqtt.l4lb.thisdcos.directory:1883");
  EXPECT_EQ(vip_endpoint("mqtt", "/prod/mqtt", 1883), "mqtt.prodmqtt.l4lb.thisdcos.directory:1883");
  EXPECT_EQ(vip_hostname("/foo", "bar"), "foo.bar.l4lb.thisdcos.directory");  // dcos-net's own test case
  EXPECT_EQ(vip_endpoint("/mygroup/myapp", "marathon", 80), "mygroupmyapp.marathon.l4lb.thisdcos.directory:80");
  EXPECT_EQ(vip_hostname("api.ternmq", "marathon"), "api.ternmq.marathon.l4lb.thisdcos.directory");
  EXPECT_EQ(vip_hostname("websocket-tls", "ternmq"), "websocket-tls.ternmq.l4lb.thisdcos.directory");
}

}  // namespace
}  // namespace ternmq::scheduler::dns
