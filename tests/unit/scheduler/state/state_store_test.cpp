#include "scheduler/state/state_store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/kv/memory_kv_store.hpp"

namespace ternmq::scheduler::state {
namespace {

task_record sample_task() {
  task_record r;
  r.task_name = "node-0-broker";
  r.task_id = "node-0-broker__1";
  r.pod_type = "node";
  r.task = "broker";
  r.config_id = "c1";
  r.agent_id = "agent-0";
  r.hostname = "agent-0";
  r.ip = "127.0.0.1";
  r.ports = {{"mqtt", 31000}, {"http", 31001}};
  r.volume_id = "v1";
  r.state = task_state::running;
  r.message = "started";
  r.ready = true;
  r.healthy = false;
  return r;
}

TEST(TaskRecord, JsonRoundTripKeepsEveryField) {
  auto r = sample_task();
  auto back = task_record_from_json(to_json(r));
  ASSERT_TRUE(back) << back.err().message;
  EXPECT_EQ(*back, r);
}

TEST(TaskRecord, UnknownStateIsAnError) {
  auto j = to_json(sample_task());
  j["state"] = "TASK_BOGUS";
  auto back = task_record_from_json(j);
  ASSERT_FALSE(back);
  EXPECT_NE(back.err().message.find("TASK_BOGUS"), std::string::npos);
}

TEST(TaskState, TerminalStates) {
  EXPECT_FALSE(is_terminal(task_state::running));
  EXPECT_FALSE(is_terminal(task_state::staging));
  EXPECT_TRUE(is_terminal(task_state::failed));
  EXPECT_TRUE(is_terminal(task_state::lost));
  EXPECT_EQ(parse_task_state("TASK_KILLED"), task_state::killed);
}

TEST(StateStore, TasksAreStoredByNameAndListedInOrder) {
  core::kv::memory_kv_store kv;
  state_store store(kv);
  auto a = sample_task();
  auto b = sample_task();
  b.task_name = "node-1-broker";
  ASSERT_TRUE(store.store_task(b));
  ASSERT_TRUE(store.store_task(a));
  auto all = store.tasks();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].task_name, "node-0-broker");
  EXPECT_EQ(store.task("node-1-broker"), b);
  EXPECT_FALSE(store.task("node-1"));  // a prefix of a key is not that key
  ASSERT_TRUE(store.erase_task("node-0-broker"));
  EXPECT_EQ(store.tasks().size(), 1u);
}

TEST(StateStore, TaskRecordsWrittenBeforeAreReadBackByANewStore) {
  core::kv::memory_kv_store kv;
  {
    state_store first(kv);
    ASSERT_TRUE(first.store_task(sample_task()));
  }
  state_store second(kv);
  EXPECT_EQ(second.task("node-0-broker"), sample_task());
  auto changed = sample_task();
  changed.state = task_state::failed;
  ASSERT_TRUE(second.store_task(changed));
  EXPECT_EQ(second.tasks().at(0).state, task_state::failed);
  EXPECT_EQ(state_store(kv).task("node-0-broker"), changed) << "written through to the kv store";
}

TEST(StateStore, ConfigurationsAndTarget) {
  core::kv::memory_kv_store kv;
  state_store store(kv);
  EXPECT_FALSE(store.target_configuration_id());
  stored_configuration c{"name: x\n", {{"A", "1"}}, {{"t.mustache", "body"}}};
  ASSERT_TRUE(store.store_configuration("id-2", c));
  ASSERT_TRUE(store.store_configuration("id-1", c));
  ASSERT_TRUE(store.set_target_configuration_id("id-2"));
  EXPECT_EQ(store.configuration_ids(), (std::vector<std::string>{"id-1", "id-2"}));
  EXPECT_EQ(store.configuration("id-1"), c);
  EXPECT_EQ(store.target_configuration_id(), "id-2");
  ASSERT_TRUE(store.erase_configuration("id-1"));
  EXPECT_FALSE(store.configuration("id-1"));
}

TEST(StateStore, PropertiesAndFrameworkId) {
  core::kv::memory_kv_store kv;
  state_store store(kv);
  ASSERT_TRUE(store.set_property("last-completed-update-type", "DEPLOY"));
  ASSERT_TRUE(store.set_framework_id("fw-1"));
  EXPECT_EQ(store.property("last-completed-update-type"), "DEPLOY");
  EXPECT_EQ(store.property_keys(), std::vector<std::string>{"last-completed-update-type"});
  EXPECT_EQ(store.framework_id(), "fw-1");
}

TEST(StoredConfiguration, RebuildsTheSpecWithRoutedEnvAndTemplates) {
  stored_configuration c;
  c.svc_yml =
      "name: svc\npods:\n  node:\n    count: 2\n    tasks:\n      broker:\n        goal: RUNNING\n"
      "        cmd: run\n        cpus: 1\n        memory: 256\n        configs:\n          conf:\n"
      "            template: t.mustache\n            dest: out.conf\n";
  c.env = {{"TASKCFG_ALL_LEVEL", "debug"}};
  c.templates = {{"t.mustache", "level={{LEVEL}}"}};
  auto spec = to_service_spec(c);
  ASSERT_TRUE(spec) << spec.err().message;
  const auto& task = spec->pods.at(0).tasks.at(0);
  EXPECT_EQ(task.env.at("LEVEL"), "debug");
  EXPECT_EQ(task.configs.at(0).template_content, "level={{LEVEL}}");

  c.templates.clear();
  EXPECT_FALSE(to_service_spec(c));
}

}  // namespace
}  // namespace ternmq::scheduler::state
