// Checkpoints: the JSON form keeps every field; the store writes atomically, lists, removes, and
// reports unreadable files instead of skipping them.
#include "scheduler/local/task_checkpoint.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/unit/scheduler/local/test_support.hpp"

namespace ternmq::scheduler::local {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

task_checkpoint sample(const std::string& task_id) {
  task_checkpoint c;
  c.task_id = task_id;
  c.task_name = "node-0-broker";
  c.agent_id = "local-agent-1";
  c.ip = "127.0.0.1";
  c.sandbox = "/work/agents/local-agent-1/sandboxes/" + task_id;
  c.pid = 4242;
  c.start_time = 123456789;
  c.resources = {1.5, 512, 100};
  c.ports = {{"mqtt", 31883}, {"admin", 31884}};
  c.volume_ids = {"vol-1"};
  c.env = {{"A", "1"}, {"MESOS_SANDBOX", c.sandbox}};
  c.readiness_check = model::readiness_check_spec{"test -f ready", seconds(2), seconds(1), seconds(3)};
  c.health_check = model::health_check_spec{"true", seconds(5), seconds(0), seconds(4), seconds(30), 3};
  c.kill_grace_period = seconds(7);
  c.ready = true;
  return c;
}

TEST(TaskCheckpoint, JsonRoundTripKeepsEveryField) {
  const auto c = sample("node-0-broker__1");
  auto back = task_checkpoint_from_json(to_json(c));
  ASSERT_TRUE(back) << back.err().message;
  EXPECT_EQ(*back, c);

  auto without_checks = c;
  without_checks.readiness_check.reset();
  without_checks.health_check.reset();
  auto back2 = task_checkpoint_from_json(to_json(without_checks));
  ASSERT_TRUE(back2);
  EXPECT_EQ(*back2, without_checks);
}

TEST(TaskCheckpoint, MissingFieldsAndBadPidsAreErrors) {
  auto j = to_json(sample("t"));
  j.erase("start_time");
  EXPECT_FALSE(task_checkpoint_from_json(j));
  auto k = to_json(sample("t"));
  k["pid"] = 0;
  EXPECT_FALSE(task_checkpoint_from_json(k));
}

TEST(CheckpointStore, SavesAtomicallyListsAndRemoves) {
  test_support::temp_dir dir;
  checkpoint_store store(dir.path() / "meta" / "tasks");
  ASSERT_TRUE(store.open());
  auto a = sample("a__1");
  ASSERT_TRUE(store.save(a));
  ASSERT_TRUE(store.save(sample("b__1")));
  a.ready = false;
  ASSERT_TRUE(store.save(a));  // replaces
  EXPECT_TRUE(store.contains("a__1"));
  EXPECT_FALSE(fs::exists(dir.path() / "meta" / "tasks" / "a__1.json.tmp"));

  auto all = store.load_all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].task_id, "a__1");
  ASSERT_TRUE(all[0].checkpoint);
  EXPECT_EQ(*all[0].checkpoint, a);

  store.remove("b__1");
  EXPECT_FALSE(store.contains("b__1"));
  EXPECT_EQ(store.load_all().size(), 1u);
}

TEST(CheckpointStore, InvalidUtf8InTheEnvironmentDoesNotPreventTheCheckpoint) {
  test_support::temp_dir dir;
  checkpoint_store store(dir.path());
  auto c = sample("utf8__1");
  c.env["BINARY"] = std::string("\xff\xfe", 2);
  ASSERT_TRUE(store.save(c));
  auto all = store.load_all();
  ASSERT_EQ(all.size(), 1u);
  ASSERT_TRUE(all[0].checkpoint);
  EXPECT_EQ(all[0].checkpoint->pid, c.pid);
}

TEST(CheckpointStore, UnreadableFilesAreReportedAndLeftoverTemporariesRemoved) {
  test_support::temp_dir dir;
  checkpoint_store store(dir.path());
  test_support::write_file(dir.path() / "broken__1.json", "{ not json");
  test_support::write_file(dir.path() / "half__1.json.tmp", "{");
  auto all = store.load_all();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].task_id, "broken__1");
  ASSERT_FALSE(all[0].checkpoint);
  EXPECT_NE(all[0].checkpoint.err().message.find("broken__1.json"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir.path() / "half__1.json.tmp"));
}

}  // namespace
}  // namespace ternmq::scheduler::local
