// Tests for the admin session messages (golden bytes, validation) and for the `NAME@HOST:PORT`
// form of `cluster join discovery-node=`. Round trips and fuzzing of the two message types run
// with every other type in messages_test.cpp and messages_fuzz_test.cpp (sample_messages).
#include <gtest/gtest.h>

#include "broker/cluster/discovery_node.hpp"
#include "broker/cluster/error.hpp"
#include "broker/cluster/messages.hpp"
#include "cluster_test_support.hpp"

namespace ternmq::cluster {
namespace {

using test_support::from_hex;
using test_support::to_hex;

TEST(AdminMessagesTest, RequestGoldenBytes) {
  auto bytes = encode(admin_request{admin_command::cluster_leave, "n3"});
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(to_hex(*bytes), "00 00 00 06 60 03 00 02 6e 33");
}

TEST(AdminMessagesTest, ReplyGoldenBytes) {
  auto bytes = encode(admin_reply{true, "", {member_status{"n", "h:1", member_state::joined, true}}});
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(to_hex(*bytes), "00 00 00 12 61 01 00 00 00 00 00 01 00 01 6e 00 03 68 3a 31 01 01");
}

TEST(AdminMessagesTest, UnknownCommandIsRefused) {
  auto r = decode(frame{0x60, from_hex("04 00 00")});
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(is(r.err(), errc::invalid_value));
}

TEST(AdminMessagesTest, ReplyRowsAreValidated) {
  // running flag 2
  EXPECT_FALSE(decode(frame{0x61, from_hex("01 00 00 00 00 00 01 00 01 6e 00 03 68 3a 31 01 02")}).has_value());
  // address without a port
  EXPECT_FALSE(decode(frame{0x61, from_hex("01 00 00 00 00 00 01 00 01 6e 00 01 68 01 01")}).has_value());
  // a count larger than the bytes left
  EXPECT_FALSE(decode(frame{0x61, from_hex("00 00 00 00 00 00 09")}).has_value());
}

TEST(DiscoveryNodeTest, NameAtHostColonPort) {
  auto d = parse_discovery_node("n1@127.0.0.1:44053");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, (discovery_node{"n1@127.0.0.1", "127.0.0.1:44053"}));
}

TEST(DiscoveryNodeTest, BracketedIpv6Host) {
  auto d = parse_discovery_node("n1@[fd00::7]:44053");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, (discovery_node{"n1@[fd00::7]", "[fd00::7]:44053"}));
}

TEST(DiscoveryNodeTest, RefusesMalformedForms) {
  for (const char* bad : {"", "n1@127.0.0.1", "n1:44053", "@h:1", "n1@:44053", "n1@h:0", "n1@h:65536", "n1@h:x",
                          "n1@fd00::7:44053"}) {
    EXPECT_FALSE(parse_discovery_node(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace ternmq::cluster
