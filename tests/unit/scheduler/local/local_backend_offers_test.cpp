// Offers and launch refusals: one offer per agent, live tasks' resources and ports subtracted,
// ports held by other processes skipped, and every reason a launch is refused.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>

#include <gtest/gtest.h>

#include "tests/unit/scheduler/local/backend_fixture.hpp"

namespace ternmq::scheduler::local::test_support {
namespace {

using state::task_state;

// A TCP listener on 127.0.0.1:`port`, as another program on the machine would hold it.
class held_port {
 public:
  explicit held_port(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bound_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 && ::listen(fd_, 1) == 0;
  }
  ~held_port() { ::close(fd_); }
  held_port(const held_port&) = delete;
  held_port& operator=(const held_port&) = delete;
  bool bound() const { return bound_; }

 private:
  int fd_;
  bool bound_ = false;
};

bool offers_port(const backend::offer& offer, std::uint16_t port) {
  for (const auto& range : offer.ports) {
    if (range.begin <= port && port <= range.end) return true;
  }
  return false;
}

std::uint16_t first_port(const backend::offer& offer) { return offer.ports.at(0).begin; }

TEST_F(LocalBackendTest, OneOfferPerAgentWithItsWholeResources) {
  open_backend();
  auto offers = backend_->offers();
  ASSERT_EQ(offers.size(), 2u);
  EXPECT_EQ(offers[0].agent_id, "local-agent-0");
  EXPECT_EQ(offers[0].hostname, "local-agent-0");
  EXPECT_EQ(offers[1].hostname, "local-agent-1");
  EXPECT_EQ(offers[0].ip, "127.0.0.1");
  EXPECT_EQ(offers[0].available, (model::resources{4, 4096, 10000}));
  EXPECT_FALSE(offers[0].ports.empty());

  std::set<std::string> ids;
  for (int round = 0; round < 3; ++round) {
    for (const auto& offer : backend_->offers()) ids.insert(offer.id);
  }
  EXPECT_EQ(ids.size(), 6u);  // never repeated
}

TEST_F(LocalBackendTest, ALiveTaskTakesItsResourcesOnItsAgentAndItsPortsOnAll) {
  open_backend();
  const std::uint16_t port = first_port(offer_of(0));
  auto r = request("busy__1", "exec sleep 60");
  r.resources = {1.5, 1000, 500};
  r.ports = {{"mqtt", port}};
  ASSERT_TRUE(launch(r));

  auto offers = backend_->offers();
  EXPECT_EQ(offers[0].available, (model::resources{2.5, 3096, 9500}));
  EXPECT_EQ(offers[1].available, (model::resources{4, 4096, 10000}));
  EXPECT_FALSE(offers_port(offers[0], port));
  EXPECT_FALSE(offers_port(offers[1], port));  // all agents share 127.0.0.1

  backend_->kill("busy__1");
  ASSERT_TRUE(wait_for("busy__1", task_state::killed));
  offers = backend_->offers();
  EXPECT_EQ(offers[0].available, (model::resources{4, 4096, 10000}));
  EXPECT_TRUE(offers_port(offers[0], port));
}

TEST_F(LocalBackendTest, APortHeldByAnotherProcessIsNotOfferedNorAccepted) {
  open_backend();
  const std::uint16_t port = first_port(offer_of(0));
  held_port holder(port);
  ASSERT_TRUE(holder.bound());
  auto offers = backend_->offers();
  EXPECT_FALSE(offers_port(offers[0], port));
  EXPECT_FALSE(offers_port(offers[1], port));

  auto r = request("held__1", "true");
  r.ports = {{"mqtt", port}};
  auto refused = launch(r);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.message().find("another process holds it"), std::string::npos) << refused.message();
}

TEST_F(LocalBackendTest, LaunchesAreRefusedForEveryReason) {
  open_backend();
  const auto range = options().port_range;
  auto base = request("base__1", "exec sleep 60");
  base.ports = {{"mqtt", first_port(offer_of(0))}};
  base.resources = {3, 256, 0};
  ASSERT_TRUE(launch(base));

  auto expect_refused = [&](const backend::offer& on, const backend::launch_request& r, const std::string& why) {
    auto refused = backend_->launch(on, r);
    ASSERT_FALSE(refused) << why;
    EXPECT_NE(refused.message().find(why), std::string::npos) << refused.message();
  };
  auto unknown = offer_of(0);
  unknown.agent_id = "local-agent-9";
  expect_refused(unknown, request("x__1", "true"), "unknown agent");
  expect_refused(offer_of(0), request("base__1", "true"), "already used");
  expect_refused(offer_of(0), request("../escape", "true"), "invalid task id");

  auto too_big = request("big__1", "true");
  too_big.resources = {2, 256, 0};  // 3 of 4 cpus are taken on agent 0
  expect_refused(offer_of(0), too_big, "has not the resources");
  EXPECT_TRUE(launch(too_big, 1));  // agent 1 has them

  auto taken = request("taken__1", "true");
  taken.ports = {{"mqtt", base.ports.at("mqtt")}};
  expect_refused(offer_of(1), taken, "in use by task base__1");

  auto outside = request("outside__1", "true");
  outside.ports = {{"mqtt", static_cast<std::uint16_t>(range.end + 1)}};
  expect_refused(offer_of(1), outside, "outside the agent's range");

  auto twice = request("twice__1", "true");
  const std::uint16_t last = offer_of(1).ports.back().end;
  twice.ports = {{"a", last}, {"b", last}};
  expect_refused(offer_of(1), twice, "asked for twice");
}

TEST_F(LocalBackendTest, ScalarResourcesAddUpWithoutRoundingErrors) {
  open_backend();
  auto a = request("a__1", "exec sleep 60");
  a.resources = {1.3, 1, 0};
  auto b = request("b__1", "exec sleep 60");
  b.resources = {1.3, 1, 0};
  auto c = request("c__1", "exec sleep 60");
  c.resources = {1.4, 1, 0};
  ASSERT_TRUE(launch(a));
  ASSERT_TRUE(launch(b));
  ASSERT_TRUE(launch(c));
  EXPECT_EQ(offer_of(0).available.cpus, 0);
}

TEST_F(LocalBackendTest, InvalidOptionsAreErrors) {
  auto o = options();
  o.agent_count = 0;
  EXPECT_FALSE(local_backend::open(o, clock_));
  o = options();
  o.port_range = {200, 100};
  EXPECT_FALSE(local_backend::open(o, clock_));
  o = options();
  o.work_dir.clear();
  EXPECT_FALSE(local_backend::open(o, clock_));
}

}  // namespace
}  // namespace ternmq::scheduler::local::test_support
