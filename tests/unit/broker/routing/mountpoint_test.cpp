// Mountpoints keep topic trees apart: mounted names sit under a `$` prefix that no root
// wildcard matches, and shared subscriptions keep their `$share/<group>/` in front.
#include "broker/routing/mountpoint.hpp"

#include <gtest/gtest.h>

#include "broker/topic/topic.hpp"

namespace ternmq::routing {
namespace {

TEST(MountpointTest, NoMountpointLeavesTopicsAlone) {
  EXPECT_EQ(mount("", "a/b"), "a/b");
  EXPECT_EQ(mount("", "$share/g/a/#"), "$share/g/a/#");
  EXPECT_EQ(unmount("", "a/b"), "a/b");
}

TEST(MountpointTest, MountAndUnmountRoundTrip) {
  const std::string full = mount("tenant-a", "sensors/1/temp");
  EXPECT_EQ(full, "$mp/tenant-a/sensors/1/temp");
  EXPECT_EQ(unmount("tenant-a", full), "sensors/1/temp");
}

TEST(MountpointTest, SharedSubscriptionsKeepTheirPrefix) {
  EXPECT_EQ(mount("t", "$share/g/x/+"), "$share/g/$mp/t/x/+");
  auto shared = topic::parse_shared(mount("t", "$share/g/x/+"));
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->filter, "$mp/t/x/+");
}

TEST(MountpointTest, RootWildcardsNeverSeeMountedTopics) {
  const std::string mounted = mount("t", "a/b");
  EXPECT_FALSE(topic::matches("#", mounted));
  EXPECT_FALSE(topic::matches("+/t/a/b", mounted));
  // Another tenant's wildcard stays inside its own tree.
  EXPECT_FALSE(topic::matches(mount("u", "#"), mounted));
  EXPECT_TRUE(topic::matches(mount("t", "#"), mounted));
}

TEST(MountpointTest, ClientsCannotNameTheMountSpace) {
  EXPECT_TRUE(is_mount_space("$mp/t/a"));
  EXPECT_TRUE(is_mount_space("$share/g/$mp/t/#"));
  EXPECT_FALSE(is_mount_space("mp/t/a"));
  EXPECT_FALSE(is_mount_space("$SYS/x"));
  EXPECT_FALSE(is_mount_space("$share/g/a"));
}

}  // namespace
}  // namespace ternmq::routing
