// Tests for the bind pre-flight: which addresses a haproxy.cfg binds, and probes that fail only
// when another program holds the address.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "scheduler/edgelb/bind_probe.hpp"

namespace ternmq::scheduler::edgelb {
namespace {

// A listening socket on 127.0.0.1:0, with or without SO_REUSEPORT; closed by the destructor.
class held_port {
 public:
  explicit held_port(bool reuse_port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int on = 1;
    if (reuse_port) {
      ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
      ::setsockopt(fd_, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
    }
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    EXPECT_EQ(::listen(fd_, 1), 0);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~held_port() { ::close(fd_); }
  held_port(const held_port&) = delete;
  held_port& operator=(const held_port&) = delete;
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

TEST(ConfigBinds, ReadsTheTcpAddressesOfBindLines) {
  const auto binds = config_binds(
      "global\n  stats socket /run/x.sock mode 600\nfrontend a\n  bind 127.0.0.1:41883\n  bind [::1]:41884 v4v6\n"
      "  bind :8080\n  bind unix@/run/y.sock\n  bind ipv4@1.2.3.4:80\n  bind /run/z.sock\nlisten stats\n"
      "    bind 0.0.0.0:9090\n");
  EXPECT_EQ(binds, (std::vector<bind_address>{
                       {"127.0.0.1", 41883}, {"::1", 41884}, {"0.0.0.0", 8080}, {"0.0.0.0", 9090}}));
}

TEST(ProbeBind, FailsOnlyWhenAnotherProgramHoldsTheAddress) {
  held_port exclusive(false);
  const auto refused = probe_bind({"127.0.0.1", exclusive.port()});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("cannot bind 127.0.0.1:" + std::to_string(exclusive.port())), std::string::npos)
      << refused.message();

  held_port shared(true);  // as a running HAProxy holds its ports
  EXPECT_TRUE(probe_bind({"127.0.0.1", shared.port()}).ok());
  EXPECT_FALSE(probe_bind({"not-an-ip", 80}).ok());
}

}  // namespace
}  // namespace ternmq::scheduler::edgelb
