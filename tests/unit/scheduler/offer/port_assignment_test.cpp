// Tests for host port assignment: fixed ports, dynamic ports (lowest free, own ranges, never a number
// another port of the pod has), reservations reused, and the spec check for clashing ports.
#include "scheduler/offer/port_assignment.hpp"

#include <gtest/gtest.h>

#include "tests/unit/scheduler/offer/offer_test_support.hpp"

namespace ternmq::scheduler::offers {
namespace {

using test::agent_offer;

model::port_spec port(std::string name, std::uint16_t number, std::vector<model::port_range> ranges = {}) {
  model::port_spec p;
  p.name = std::move(name);
  p.port = number;
  p.ranges = std::move(ranges);
  return p;
}

backend::offer offer_with_ports(std::vector<model::port_range> ranges) {
  auto o = agent_offer(1);
  o.ports = std::move(ranges);
  return o;
}

TEST(CheckPortSpecs, FixedNumbersAndNamesMustBeDistinct) {
  EXPECT_TRUE(check_port_specs({port("mqtt", 1883), port("ws", 0), port("cluster", 0)}).ok());
  EXPECT_EQ(check_port_specs({port("mqtt", 1883), port("mqtt-alt", 1883)}).message(),
            "ports mqtt and mqtt-alt both ask for 1883");
  EXPECT_EQ(check_port_specs({port("mqtt", 0), port("mqtt", 0)}).message(), "port mqtt is listed twice");
}

TEST(AssignPorts, FixedPortMustBeFree) {
  const auto ok = assign_ports({port("mqtt", 1883)}, {}, agent_offer(1));
  ASSERT_TRUE(ok.ok()) << ok.reason;
  EXPECT_EQ(ok.ports, (port_map{{"mqtt", 1883}}));
  const auto busy = assign_ports({port("mqtt", 1883)}, {}, offer_with_ports({{1025, 1882}, {1884, 2000}}));
  EXPECT_EQ(busy.reason, "port mqtt 1883 not free on local-agent-1");
}

TEST(AssignPorts, DynamicPortsTakeTheLowestFreeAndNeverTheSame) {
  const auto a = assign_ports({port("mqtt", 0), port("ws", 0), port("cluster", 0)}, {},
                              offer_with_ports({{3000, 3001}, {1500, 1500}}));
  ASSERT_TRUE(a.ok()) << a.reason;
  EXPECT_EQ(a.ports, (port_map{{"mqtt", 1500}, {"ws", 3000}, {"cluster", 3001}}));
}

TEST(AssignPorts, DynamicPortsAvoidFixedOnesListedLater) {
  const auto a = assign_ports({port("cluster", 0), port("mqtt", 1025)}, {}, agent_offer(1));
  ASSERT_TRUE(a.ok()) << a.reason;
  EXPECT_EQ(a.ports, (port_map{{"cluster", 1026}, {"mqtt", 1025}}));
}

TEST(AssignPorts, DynamicPortWithinItsOwnRanges) {
  const auto a = assign_ports({port("ws", 0, {{1800, 1900}})}, {}, agent_offer(1));
  ASSERT_TRUE(a.ok()) << a.reason;
  EXPECT_EQ(a.ports.at("ws"), 1800);
  const auto none = assign_ports({port("ws", 0, {{8000, 8010}, {9000, 9000}})}, {}, agent_offer(1));
  EXPECT_EQ(none.reason, "no free port for ws on local-agent-1 within 8000-8010, 9000-9000");
}

TEST(AssignPorts, NoFreePortAtAll) {
  const auto a = assign_ports({port("mqtt", 0), port("ws", 0)}, {}, offer_with_ports({{1025, 1025}}));
  EXPECT_EQ(a.reason, "no free port for ws on local-agent-1");
  EXPECT_EQ(assign_ports({port("mqtt", 0)}, {}, offer_with_ports({})).reason, "no free port for mqtt on local-agent-1");
}

TEST(AssignPorts, PortZeroIsNeverChosen) {
  const auto a = assign_ports({port("mqtt", 0)}, {}, offer_with_ports({{0, 1}}));
  ASSERT_TRUE(a.ok()) << a.reason;
  EXPECT_EQ(a.ports.at("mqtt"), 1);
}

TEST(AssignPorts, ReservedPortsAreReusedExactly) {
  const auto a = assign_ports({port("mqtt", 0), port("ws", 0)}, {{"mqtt", 1700}, {"ws", 1025}}, agent_offer(1));
  ASSERT_TRUE(a.ok()) << a.reason;
  EXPECT_EQ(a.ports, (port_map{{"mqtt", 1700}, {"ws", 1025}}));
  const auto gone = assign_ports({port("mqtt", 0)}, {{"mqtt", 1700}}, offer_with_ports({{1025, 1699}}));
  EXPECT_EQ(gone.reason, "port mqtt 1700 (reserved by the previous launch) not free on local-agent-1");
}

TEST(AssignPorts, NewDynamicPortsAvoidReservedOnes) {
  const auto a = assign_ports({port("new", 0), port("mqtt", 0)}, {{"mqtt", 1025}}, agent_offer(1));
  ASSERT_TRUE(a.ok()) << a.reason;
  EXPECT_EQ(a.ports, (port_map{{"mqtt", 1025}, {"new", 1026}}));
}

TEST(AssignPorts, AFixedPortOverridesAReservation) {
  // The spec made `mqtt` fixed at 1883; the old dynamic reservation does not matter any more.
  const auto fixed = assign_ports({port("mqtt", 1883)}, {{"mqtt", 1025}}, agent_offer(1));
  ASSERT_TRUE(fixed.ok()) << fixed.reason;
  EXPECT_EQ(fixed.ports.at("mqtt"), 1883);
  // A new fixed port claims `ws`'s reserved number: `ws` gets a new one.
  const auto moved = assign_ports({port("ws", 0), port("admin", 1025)}, {{"ws", 1025}}, agent_offer(1));
  ASSERT_TRUE(moved.ok()) << moved.reason;
  EXPECT_EQ(moved.ports, (port_map{{"admin", 1025}, {"ws", 1026}}));
}

}  // namespace
}  // namespace ternmq::scheduler::offers
