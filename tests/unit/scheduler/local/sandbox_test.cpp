// Sandbox layout, path safety, files, volumes and the fetcher's handling of each kind of URI.
#include "scheduler/local/sandbox.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "scheduler/local/fetcher.hpp"
#include "tests/unit/scheduler/local/test_support.hpp"

namespace ternmq::scheduler::local {
namespace {

namespace fs = std::filesystem;
using test_support::read_file;
using test_support::write_file;

TEST(AgentLayout, PathsAreThoseOfAMesosAgent) {
  agent_layout layout("/w");
  EXPECT_EQ(layout.sandbox("local-agent-0", "t__1"), fs::path("/w/agents/local-agent-0/sandboxes/t__1"));
  EXPECT_EQ(layout.volume("local-agent-0", "v"), fs::path("/w/agents/local-agent-0/volumes/v"));
  EXPECT_EQ(layout.checkpoints(), fs::path("/w/meta/tasks"));
}

TEST(SandboxPaths, OnlyRelativePathsThatStayInside) {
  EXPECT_TRUE(is_safe_relative_path("conf/ternmq.conf"));
  EXPECT_TRUE(is_safe_relative_path("a"));
  EXPECT_FALSE(is_safe_relative_path(""));
  EXPECT_FALSE(is_safe_relative_path("/etc/passwd"));
  EXPECT_FALSE(is_safe_relative_path("../x"));
  EXPECT_FALSE(is_safe_relative_path("a/../../x"));
  EXPECT_FALSE(is_safe_relative_path("./a"));
  EXPECT_TRUE(is_safe_name("node-0-broker__abc"));
  EXPECT_FALSE(is_safe_name(".."));
  EXPECT_FALSE(is_safe_name("a/b"));
  EXPECT_FALSE(is_safe_name(""));
}

TEST(Sandbox, CreatedFreshWithFilesAndVolumes) {
  test_support::temp_dir dir;
  agent_layout layout(dir.path());
  const auto sandbox = layout.sandbox("local-agent-0", "t__1");
  ASSERT_TRUE(create_sandbox(sandbox));
  EXPECT_FALSE(create_sandbox(sandbox));  // never reused

  ASSERT_TRUE(write_sandbox_files(sandbox, {{"conf/ternmq.conf", "listener = 1883\n"}, {"top", "x"}}));
  EXPECT_EQ(read_file(sandbox / "conf" / "ternmq.conf"), "listener = 1883\n");
  EXPECT_FALSE(write_sandbox_files(sandbox, {{"../escape", "x"}}));

  ASSERT_TRUE(link_volumes(sandbox, layout, "local-agent-0", {{"vol-1", "data/store", 100, "ROOT"}}));
  EXPECT_TRUE(fs::is_symlink(sandbox / "data" / "store"));
  write_file(sandbox / "data" / "store" / "db", "kept");
  EXPECT_EQ(read_file(layout.volume("local-agent-0", "vol-1") / "db"), "kept");
  EXPECT_FALSE(link_volumes(sandbox, layout, "local-agent-0", {{"vol-2", "/abs", 1, "ROOT"}}));

  ASSERT_TRUE(remove_volume(layout.volume("local-agent-0", "vol-1")));
  EXPECT_FALSE(fs::exists(layout.volume("local-agent-0", "vol-1")));
  EXPECT_TRUE(remove_volume(layout.volume("local-agent-0", "never-existed")));
}

TEST(Fetcher, LocalPathsAndFileUris) {
  EXPECT_EQ(local_path_of("/a/b.tgz").value(), fs::path("/a/b.tgz"));
  EXPECT_EQ(local_path_of("file:///a/b").value(), fs::path("/a/b"));
  EXPECT_EQ(local_path_of("file://localhost/a/b").value(), fs::path("/a/b"));
  EXPECT_TRUE(local_path_of("relative/x").value().is_absolute());
  EXPECT_FALSE(local_path_of("https://example.com/x.tgz"));
  EXPECT_FALSE(local_path_of("file://host/x"));
  EXPECT_FALSE(local_path_of(""));
  EXPECT_TRUE(is_archive("/x/ternmq.tar.gz"));
  EXPECT_TRUE(is_archive("x.tgz"));
  EXPECT_FALSE(is_archive("x.tar"));
}

TEST(Fetcher, LinksFilesAndDirectoryContentsAndListsArchives) {
  test_support::temp_dir dir;
  write_file(dir.path() / "src" / "tool.sh", "#!/bin/sh\necho tool\n");
  ::chmod((dir.path() / "src" / "tool.sh").c_str(), 0755);
  write_file(dir.path() / "bundle" / "a.txt", "a");
  write_file(dir.path() / "bundle" / "b.txt", "b");
  write_file(dir.path() / "bundle" / "sub" / "c.txt", "c");
  write_file(dir.path() / "pkg.tar.gz", "not really");
  const auto sandbox = dir.path() / "sandbox";
  fs::create_directories(sandbox);

  auto archives = fetch_into({(dir.path() / "src" / "tool.sh").string(), "file://" + (dir.path() / "bundle").string(),
                              (dir.path() / "pkg.tar.gz").string()},
                             sandbox);
  ASSERT_TRUE(archives) << archives.err().message;
  EXPECT_EQ(*archives, std::vector<fs::path>{dir.path() / "pkg.tar.gz"});
  EXPECT_EQ(::access((sandbox / "tool.sh").c_str(), X_OK), 0);
  EXPECT_EQ(read_file(sandbox / "a.txt"), "a");
  EXPECT_EQ(read_file(sandbox / "b.txt"), "b");
  EXPECT_FALSE(fs::exists(sandbox / "sub"));
  EXPECT_FALSE(fs::exists(sandbox / "pkg.tar.gz"));
}

TEST(Fetcher, AMissingUriIsAnErrorNamingIt) {
  test_support::temp_dir dir;
  auto fetched = fetch_into({"/no/such/ternmq.bin"}, dir.path());
  ASSERT_FALSE(fetched);
  EXPECT_NE(fetched.err().message.find("/no/such/ternmq.bin"), std::string::npos) << fetched.err().message;
}

}  // namespace
}  // namespace ternmq::scheduler::local
