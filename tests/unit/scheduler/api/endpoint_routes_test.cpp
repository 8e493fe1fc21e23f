// The /v1/endpoints routes: names from the target spec's advertised ports; per endpoint the tasks'
// addresses, autoip names, the VIP and the named SRV records, in pod index order.
#include <gtest/gtest.h>

#include "scheduler/api/endpoint_queries.hpp"
#include "tests/unit/scheduler/api/api_test_support.hpp"

namespace ternmq::scheduler::api {
namespace {

using nlohmann::json;
using test_support::ApiTest;

TEST_F(ApiTest, ListsAdvertisedPortsSorted) {
  const auto r = get("/v1/endpoints");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json_of(r), json::array({"cluster", "mqtt", "websocket"}));  // `http` is not advertised
}

TEST_F(ApiTest, EndpointListsEveryBrokerInPodIndexOrder) {
  for (std::uint32_t i : {2u, 0u, 1u}) scheduler_.add_task(scheduler_.running_broker(i));
  const auto r = get("/v1/endpoints/mqtt");
  EXPECT_EQ(r.status, 200);
  const json expected = {
      {"address", {"10.0.0.1:1025", "10.0.0.2:1035", "10.0.0.3:1045"}},
      {"dns",
       {"ternmq-0.ternmq.autoip.dcos.thisdcos.directory:1025", "ternmq-1.ternmq.autoip.dcos.thisdcos.directory:1035",
        "ternmq-2.ternmq.autoip.dcos.thisdcos.directory:1045"}},
      {"vip", "mqtt.ternmq.l4lb.thisdcos.directory:1883"},
      {"srv", {"_mqtt._ternmq-0._tcp.ternmq.mesos.", "_mqtt._ternmq-1._tcp.ternmq.mesos.", "_mqtt._ternmq-2._tcp.ternmq.mesos."}}};
  EXPECT_EQ(json_of(r), expected);
}

TEST_F(ApiTest, EndpointWithoutVipHasNoVipField) {
  scheduler_.add_task(scheduler_.running_broker(0));
  const json cluster = json_of(get("/v1/endpoints/cluster"));
  EXPECT_EQ(cluster["address"], json::array({"10.0.0.1:1027"}));
  EXPECT_EQ(cluster["srv"], json::array({"_cluster._ternmq-0._tcp.ternmq.mesos."}));
  EXPECT_FALSE(cluster.contains("vip"));
  EXPECT_EQ(json_of(get("/v1/endpoints/websocket"))["vip"], "websocket.ternmq.l4lb.thisdcos.directory:8080");
}

TEST_F(ApiTest, EndpointBeforeAnyLaunchHasEmptyLists) {
  EXPECT_EQ(json_of(get("/v1/endpoints/mqtt")), (json{{"address", json::array()},
                                                       {"dns", json::array()},
                                                       {"srv", json::array()},
                                                       {"vip", "mqtt.ternmq.l4lb.thisdcos.directory:1883"}}));
}

TEST_F(ApiTest, AddressFallsBackToTheAgentHostname) {
  auto staging = scheduler_.running_broker(0);
  staging.ip.clear();
  scheduler_.add_task(staging);
  EXPECT_EQ(json_of(get("/v1/endpoints/mqtt"))["address"], json::array({"agent-0.example:1025"}));
}

TEST_F(ApiTest, UnknownOrUnadvertisedEndpointIs404WithEmptyBody) {
  for (const char* name : {"/v1/endpoints/nope", "/v1/endpoints/http"}) {
    const auto r = get(name);
    EXPECT_EQ(r.status, 404) << name;
    EXPECT_EQ(r.body, "") << name;
  }
}

TEST_F(ApiTest, FolderedServiceNamesDropTheSeparators) {
  model::service_spec foldered = scheduler_.target_spec();
  foldered.name = "/prod/ternmq";
  foldered.pods[0].tasks[0].discovery->prefix = "/prod/ternmq";
  const response r = get_endpoint(foldered, {scheduler_.running_broker(1)}, "mqtt");
  ASSERT_EQ(r.code, 200);
  EXPECT_EQ(r.json["dns"], json::array({"prodternmq-1.prodternmq.autoip.dcos.thisdcos.directory:1035"}));
  EXPECT_EQ(r.json["vip"], "mqtt.prodternmq.l4lb.thisdcos.directory:1883");
  EXPECT_EQ(r.json["srv"], json::array({"_mqtt._prodternmq-1._tcp.prodternmq.mesos."}));
}

TEST_F(ApiTest, WithoutDiscoveryPrefixTheTaskNameIsTheDnsName) {
  model::service_spec plain = scheduler_.target_spec();
  plain.name = "mqtt";
  plain.pods[0].tasks[0].discovery.reset();
  const response r = get_endpoint(plain, {scheduler_.running_broker(0)}, "mqtt");
  EXPECT_EQ(r.json["dns"], json::array({"node-0-broker.mqtt.autoip.dcos.thisdcos.directory:1025"}));
  EXPECT_EQ(r.json["srv"], json::array({"_mqtt._node-0-broker._tcp.mqtt.mesos."}));
  EXPECT_EQ(r.json["vip"], "mqtt.mqtt.l4lb.thisdcos.directory:1883");
}

}  // namespace
}  // namespace ternmq::scheduler::api
