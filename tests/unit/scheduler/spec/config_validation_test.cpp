// Tests for the config-update validators and `pods_to_roll` / `pods_to_decommission`. Specs come
// from a small svc.yml template rendered with per-test variables, the way the scheduler gets them.
#include "scheduler/spec/config_validation.hpp"

#include <gtest/gtest.h>

#include "scheduler/spec/service_spec_parser.hpp"

namespace ternmq::scheduler::spec {
namespace {

using env_map = std::map<std::string, std::string>;
using model::pod_instance;

const std::string k_template = R"(name: {{NAME}}
scheduler:
  user: {{USER}}
pods:
  node:
    count: {{COUNT}}
    allow-decommission: {{DECOMMISSION}}
    placement: '{{{PLACEMENT}}}'
    {{#POD_USER}}
    user: {{POD_USER}}
    {{/POD_USER}}
    volume:
      path: {{VOLUME_PATH}}
      type: {{VOLUME_TYPE}}
      size: {{VOLUME_SIZE}}
    tasks:
      broker:
        cmd: {{CMD}}
        cpus: 1
        memory: 1024
        {{#TASK_VOLUME}}
        volumes:
          extra: { path: {{TASK_VOLUME}}, size: 100 }
        {{/TASK_VOLUME}}
  {{#BRIDGE}}
  bridge:
    count: {{BRIDGE}}
    allow-decommission: {{BRIDGE_DECOMMISSION}}
    tasks:
      relay: { cmd: ./relay, cpus: 0.5, memory: 256 }
  {{/BRIDGE}}
)";

env_map defaults() {
  return {{"NAME", "ternmq"},         {"USER", "nobody"},       {"COUNT", "3"},
          {"DECOMMISSION", "false"},  {"PLACEMENT", ""},        {"VOLUME_PATH", "data"},
          {"VOLUME_TYPE", "ROOT"},    {"VOLUME_SIZE", "10000"}, {"CMD", "./ternmq"},
          {"BRIDGE", ""},             {"BRIDGE_DECOMMISSION", "false"}};
}

model::service_spec spec(const env_map& changes = {}) {
  env_map env = defaults();
  for (const auto& [k, v] : changes) env[k] = v;
  auto r = render_service_spec(k_template, env);
  if (!r) ADD_FAILURE() << r.err().message;
  return r ? *r : model::service_spec{};
}

std::vector<std::string> messages(const std::vector<config_error>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.message());
  return out;
}

using strings = std::vector<std::string>;
using instances = std::vector<pod_instance>;

TEST(PodCountCannotShrink, ShrinkIsAnErrorUnlessDecommissionIsAllowed) {
  const auto old_spec = spec({{"COUNT", "5"}});
  const auto errors = pod_count_cannot_shrink(old_spec, spec({{"COUNT", "3"}}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].validator, "pod_count_cannot_shrink");
  EXPECT_EQ(errors[0].field, "pods.node.count");
  EXPECT_EQ(errors[0].message(),
            "pods.node.count: cannot shrink from 5 to 3 (set allow-decommission: true to remove pod instances)");
  EXPECT_TRUE(pod_count_cannot_shrink(old_spec, spec({{"COUNT", "3"}, {"DECOMMISSION", "true"}})).empty());
  EXPECT_TRUE(pod_count_cannot_shrink(old_spec, spec({{"COUNT", "7"}})).empty());
  EXPECT_TRUE(pod_count_cannot_shrink(old_spec, old_spec).empty());
}

TEST(VolumeCannotChange, SizeTypeAndPath) {
  const auto old_spec = spec();
  EXPECT_EQ(messages(volume_cannot_change(old_spec, spec({{"VOLUME_SIZE", "20000"}}))),
            strings{"pods.node.volume.size: cannot change from 10000 to 20000"});
  EXPECT_EQ(messages(volume_cannot_change(old_spec, spec({{"VOLUME_TYPE", "MOUNT"}}))),
            strings{"pods.node.volume.type: cannot change from ROOT to MOUNT"});
  EXPECT_EQ(messages(volume_cannot_change(old_spec, spec({{"VOLUME_PATH", "state"}, {"VOLUME_SIZE", "1"}}))),
            (strings{"pods.node.volume.path: cannot change from \"data\" to \"state\"",
                     "pods.node.volume.size: cannot change from 10000 to 1"}));
  EXPECT_TRUE(volume_cannot_change(old_spec, spec({{"CMD", "./other"}, {"COUNT", "9"}})).empty());
}

TEST(VolumeCannotChange, TaskVolumesCannotBeAddedOrRemoved) {
  const auto without = spec();
  const auto with = spec({{"TASK_VOLUME", "extra-data"}});
  EXPECT_EQ(messages(volume_cannot_change(without, with)),
            strings{"pods.node.tasks.broker.volumes.extra: cannot be added (path \"extra-data\")"});
  EXPECT_EQ(messages(volume_cannot_change(with, without)),
            strings{"pods.node.tasks.broker.volumes.extra: cannot be removed (path \"extra-data\")"});
}

TEST(VolumeCannotChange, MovingAVolumeBetweenVolumeAndVolumesIsNoChange) {
  auto old_spec = spec();
  auto new_spec = old_spec;
  new_spec.pods[0].volumes[0].name = "data";  // written as `volumes: { data: {...} }`
  EXPECT_TRUE(volume_cannot_change(old_spec, new_spec).empty());
}

TEST(VolumeCannotChange, NewPodTypesMayHaveAnyVolumes) {
  EXPECT_TRUE(volume_cannot_change(spec(), spec({{"BRIDGE", "1"}})).empty());
}

TEST(PodTypeCannotBeRemoved, UnlessTheOldSpecAllowedDecommission) {
  EXPECT_EQ(messages(pod_type_cannot_be_removed(spec({{"BRIDGE", "2"}}), spec())),
            strings{"pods.bridge: cannot be removed (its 2 instances would be lost; set allow-decommission: true first)"});
  EXPECT_TRUE(pod_type_cannot_be_removed(spec({{"BRIDGE", "2"}, {"BRIDGE_DECOMMISSION", "true"}}), spec()).empty());
  EXPECT_TRUE(pod_type_cannot_be_removed(spec(), spec({{"BRIDGE", "2"}})).empty());
}

TEST(ServiceNameCannotChange, NamesTheBothNames) {
  EXPECT_EQ(messages(service_name_cannot_change(spec(), spec({{"NAME", "mqtt"}}))),
            strings{"name: cannot change from \"ternmq\" to \"mqtt\""});
  EXPECT_TRUE(service_name_cannot_change(spec(), spec()).empty());
}

TEST(UserCannotChange, ServiceAndPodUsers) {
  EXPECT_EQ(messages(user_cannot_change(spec(), spec({{"USER", "root"}}))),
            strings{"scheduler.user: cannot change from \"nobody\" to \"root\""});
  EXPECT_EQ(messages(user_cannot_change(spec(), spec({{"POD_USER", "mqtt"}}))),
            strings{"pods.node.user: cannot change from \"nobody\" to \"mqtt\""});
  // Spelling out the inherited user is no change.
  EXPECT_TRUE(user_cannot_change(spec(), spec({{"POD_USER", "nobody"}})).empty());
}

TEST(ValidateConfigUpdate, RunsEveryRuleAndCollectsEveryError) {
  strings names;
  for (const auto& v : default_config_validators()) names.emplace_back(v.name);
  EXPECT_EQ(names, (strings{"service_name_cannot_change", "user_cannot_change", "pod_type_cannot_be_removed",
                            "pod_count_cannot_shrink", "volume_cannot_change"}));

  const auto errors = validate_config_update(spec({{"BRIDGE", "1"}}),
                                             spec({{"NAME", "other"}, {"COUNT", "1"}, {"VOLUME_SIZE", "5"}}));
  strings validators;
  for (const auto& e : errors) validators.push_back(e.validator);
  EXPECT_EQ(validators, (strings{"service_name_cannot_change", "pod_type_cannot_be_removed", "pod_count_cannot_shrink",
                                 "volume_cannot_change"}));
  EXPECT_TRUE(validate_config_update(spec(), spec({{"CMD", "./new"}, {"COUNT", "4"}})).empty());
}

TEST(PodsToRoll, NothingWhenNothingChanged) {
  EXPECT_TRUE(pods_to_roll(spec(), spec()).empty());
}

TEST(PodsToRoll, GrowthLaunchesOnlyTheNewIndices) {
  EXPECT_EQ(pods_to_roll(spec(), spec({{"COUNT", "5"}})), (instances{{"node", 3}, {"node", 4}}));
}

TEST(PodsToRoll, ATaskChangeRollsEveryInstanceOfThatPodTypeOnly) {
  const auto old_spec = spec({{"BRIDGE", "1"}});
  EXPECT_EQ(pods_to_roll(old_spec, spec({{"BRIDGE", "1"}, {"CMD", "./ternmq --v2"}})),
            (instances{{"node", 0}, {"node", 1}, {"node", 2}}));
  EXPECT_EQ(pods_to_roll(old_spec, spec({{"BRIDGE", "1"}, {"CMD", "./ternmq --v2"}, {"COUNT", "4"}})),
            (instances{{"node", 0}, {"node", 1}, {"node", 2}, {"node", 3}}));
}

TEST(PodsToRoll, PlacementCountAndDecommissionDoNotRestartPods) {
  EXPECT_TRUE(pods_to_roll(spec(), spec({{"PLACEMENT", R"([["hostname", "UNIQUE"]])"}, {"DECOMMISSION", "true"},
                                         {"COUNT", "2"}}))
                  .empty());
}

TEST(PodsToRoll, NewPodTypesLaunchEveryInstance) {
  EXPECT_EQ(pods_to_roll(spec(), spec({{"BRIDGE", "2"}})), (instances{{"bridge", 0}, {"bridge", 1}}));
}

TEST(PodsToRoll, RoutedEnvironmentAndTemplatesCount) {
  EXPECT_EQ(pods_to_roll(spec(), spec({{"TASKCFG_NODE_TLS_ENABLED", "true"}})).size(), 3u);
  auto edited = spec();
  edited.pods[0].tasks[0].configs.push_back({"conf", "ternmq.conf.mustache", "conf/ternmq.conf", "new"});
  EXPECT_EQ(pods_to_roll(spec(), edited).size(), 3u);
}

TEST(PodsToRoll, UserResolvedAgainstTheService) {
  EXPECT_TRUE(pods_to_roll(spec(), spec({{"POD_USER", "nobody"}})).empty());
}

TEST(PodsToDecommission, HighestIndexFirst) {
  EXPECT_EQ(pods_to_decommission(spec({{"COUNT", "5"}, {"BRIDGE", "2"}}), spec({{"COUNT", "3"}})),
            (instances{{"node", 4}, {"node", 3}, {"bridge", 1}, {"bridge", 0}}));
  EXPECT_TRUE(pods_to_decommission(spec(), spec({{"COUNT", "4"}})).empty());
}

}  // namespace
}  // namespace ternmq::scheduler::spec
