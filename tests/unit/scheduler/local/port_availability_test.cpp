// Free port ranges: subtraction of used and unbindable ports, and the bind probe itself.
#include "scheduler/local/port_availability.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace ternmq::scheduler::local {
namespace {

using ranges = std::vector<model::port_range>;

TEST(FreePortRanges, SubtractsUsedAndUnbindablePorts) {
  const auto all_bindable = [](std::uint16_t) { return true; };
  EXPECT_EQ(free_port_ranges({100, 110}, {}, all_bindable), (ranges{{100, 110}}));
  EXPECT_EQ(free_port_ranges({100, 110}, {100, 102, 110}, all_bindable), (ranges{{101, 101}, {103, 109}}));
  const auto refuses_105 = [](std::uint16_t port) { return port != 105; };
  EXPECT_EQ(free_port_ranges({100, 110}, {102}, refuses_105), (ranges{{100, 101}, {103, 104}, {106, 110}}));
  EXPECT_EQ(free_port_ranges({100, 100}, {100}, all_bindable), ranges{});
}

TEST(FreePortRanges, TheTopOfThePortSpaceDoesNotWrap) {
  EXPECT_EQ(free_port_ranges({65534, 65535}, {}, [](std::uint16_t) { return true; }), (ranges{{65534, 65535}}));
}

TEST(CanBind, APortHeldByAListenerIsNotFree) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::uint16_t port = ntohs(address.sin_port);

  EXPECT_FALSE(can_bind("127.0.0.1", port));
  ::close(fd);
  EXPECT_TRUE(can_bind("127.0.0.1", port));
  EXPECT_FALSE(can_bind("not-an-address", port));
}

}  // namespace
}  // namespace ternmq::scheduler::local
