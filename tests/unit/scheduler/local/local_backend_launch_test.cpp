// Launching real tasks: status sequence, environment, sandbox files, volumes, fetched URIs, exit
// statuses and limits.
#include <sys/resource.h>

#include <algorithm>

#include <gtest/gtest.h>

#include "tests/unit/scheduler/local/backend_fixture.hpp"

namespace ternmq::scheduler::local::test_support {
namespace {

namespace fs = std::filesystem;
using state::task_state;

std::vector<task_state> states(const std::vector<backend::task_status>& statuses) {
  std::vector<task_state> out;
  for (const auto& s : statuses) out.push_back(s.state);
  return out;
}

TEST_F(LocalBackendTest, ATaskThatExitsZeroGoesStartingRunningFinished) {
  open_backend();
  ASSERT_TRUE(launch(request("ok__1", "echo hello")));
  auto finished = wait_for("ok__1", task_state::finished);
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->message, "exited with status 0");
  EXPECT_EQ(finished->agent_id, "local-agent-0");
  EXPECT_EQ(finished->ip, "127.0.0.1");
  EXPECT_EQ(finished->task_name, "node-0-broker");
  EXPECT_EQ(states(statuses_of("ok__1")),
            (std::vector<task_state>{task_state::starting, task_state::running, task_state::finished}));
  EXPECT_EQ(statuses_of("ok__1")[1].ready, true);  // no readiness check: ready at RUNNING
  EXPECT_EQ(read_file(sandbox_of("ok__1") / "stdout"), "hello\n");
  EXPECT_TRUE(backend_->reconcile().empty());  // reported, so forgotten
  EXPECT_FALSE(fs::exists(work_.path() / "meta" / "tasks" / "ok__1.json"));
}

TEST_F(LocalBackendTest, ExitStatusesAndSignalsBecomeFailures) {
  open_backend();
  ASSERT_TRUE(launch(request("three__1", "echo oops >&2; exit 3")));
  ASSERT_TRUE(launch(request("signal__1", "kill -9 $$")));
  ASSERT_TRUE(launch(request("missing__1", "no-such-ternmq-binary --flag")));
  auto three = wait_for("three__1", task_state::failed);
  auto signal = wait_for("signal__1", task_state::failed);
  auto missing = wait_for("missing__1", task_state::failed);
  ASSERT_TRUE(three && signal && missing);
  EXPECT_EQ(three->message, "exited with status 3");
  EXPECT_EQ(read_file(sandbox_of("three__1") / "stderr"), "oops\n");
  EXPECT_EQ(signal->message, "killed by signal 9");
  EXPECT_EQ(missing->message, "exited with status 127");
}

TEST_F(LocalBackendTest, TheEnvironmentIsTheRequestPlusWhatAnAgentAdds) {
  auto o = options();
  o.task_path = "/usr/bin:/bin";
  open_backend(o);
  auto r = request("env__1", "tr '\\0' '\\n' < /proc/$$/environ > env.txt");
  r.env = {{"TASK_NAME", "node-0-broker"}, {"PORT_MQTT", "1883"}};
  ASSERT_TRUE(launch(r, 1));
  ASSERT_TRUE(wait_for("env__1", task_state::finished));
  const auto sandbox = sandbox_of("env__1", 1);
  auto env = lines_of(read_file(sandbox / "env.txt"));
  std::sort(env.begin(), env.end());
  EXPECT_EQ(env, (std::vector<std::string>{
                     "HOME=" + sandbox.string(),
                     "LANG=C.UTF-8",
                     "MESOS_AGENT_ID=local-agent-1",
                     "MESOS_CONTAINER_IP=127.0.0.1",
                     "MESOS_SANDBOX=" + sandbox.string(),
                     "MESOS_TASK_ID=env__1",
                     "PATH=/usr/bin:/bin",
                     "PORT_MQTT=1883",
                     "TASK_NAME=node-0-broker",
                 }));
}

TEST_F(LocalBackendTest, FilesAreWrittenIntoAFreshSandboxForEachLaunch) {
  open_backend();
  auto first = request("files__1", "cat conf/ternmq.conf > seen.txt; echo leftover > mine.txt");
  first.files = {{"conf/ternmq.conf", "listener.tcp.default = 127.0.0.1:1883\n"}};
  ASSERT_TRUE(launch(first));
  ASSERT_TRUE(wait_for("files__1", task_state::finished));
  EXPECT_EQ(read_file(sandbox_of("files__1") / "seen.txt"), "listener.tcp.default = 127.0.0.1:1883\n");

  auto second = request("files__2", "test ! -e mine.txt");
  ASSERT_TRUE(launch(second));
  auto done = wait_for("files__2", task_state::finished);
  ASSERT_TRUE(done) << statuses_of("files__2").back().message;
  EXPECT_TRUE(fs::exists(sandbox_of("files__1") / "mine.txt"));  // old sandboxes are kept
}

TEST_F(LocalBackendTest, AVolumeKeepsItsDataAcrossLaunchesUntilDestroyed) {
  open_backend();
  auto first = request("vol__1", "echo written-by-first > data/state");
  first.volumes = {{"pod-0-volume", "data", 100, "ROOT"}};
  ASSERT_TRUE(launch(first));
  ASSERT_TRUE(wait_for("vol__1", task_state::finished));

  auto second = request("vol__2", "cat data/state > seen.txt");
  second.volumes = first.volumes;
  ASSERT_TRUE(launch(second));
  ASSERT_TRUE(wait_for("vol__2", task_state::finished));
  EXPECT_EQ(read_file(sandbox_of("vol__2") / "seen.txt"), "written-by-first\n");

  const auto volume = backend_->layout().volume("local-agent-0", "pod-0-volume");
  ASSERT_TRUE(fs::exists(volume / "state"));
  backend_->destroy_volume("local-agent-0", "pod-0-volume");
  EXPECT_FALSE(fs::exists(volume));

  auto third = request("vol__3", "test ! -e data/state");
  third.volumes = first.volumes;
  ASSERT_TRUE(launch(third));
  EXPECT_TRUE(wait_for("vol__3", task_state::finished));
}

TEST_F(LocalBackendTest, AVolumeInUseIsNotDestroyedNorSharedWithAnotherLaunch) {
  open_backend();
  auto holder = request("holder__1", "exec sleep 60");
  holder.volumes = {{"v", "data", 1, "ROOT"}};
  ASSERT_TRUE(launch(holder));
  ASSERT_TRUE(wait_for("holder__1", task_state::running));
  backend_->destroy_volume("local-agent-0", "v");
  EXPECT_TRUE(fs::exists(backend_->layout().volume("local-agent-0", "v")));
  auto other = request("other__1", "true");
  other.volumes = holder.volumes;
  auto refused = launch(other);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.message().find("volume v is in use"), std::string::npos) << refused.message();
}

TEST_F(LocalBackendTest, UrisAreFetchedFilesDirectoriesAndArchives) {
  open_backend();
  const fs::path assets = work_.path() / "assets";
  write_file(assets / "bin" / "ternmq", "#!/bin/sh\necho broker-binary\n");
  fs::permissions(assets / "bin" / "ternmq", fs::perms::owner_all);
  write_file(assets / "conf" / "a.conf", "A\n");
  write_file(assets / "pkg" / "inside" / "data.txt", "from-archive\n");
  ASSERT_EQ(
      std::system(("tar -czf '" + (assets / "pkg.tar.gz").string() + "' -C '" + (assets / "pkg").string() + "' inside")
                      .c_str()),
      0);
  auto r = request("fetch__1", "./ternmq > out.txt && cat a.conf inside/data.txt >> out.txt");
  r.uris = {(assets / "bin" / "ternmq").string(), "file://" + (assets / "conf").string(),
            (assets / "pkg.tar.gz").string()};
  ASSERT_TRUE(launch(r));
  auto done = wait_for("fetch__1", task_state::finished);
  ASSERT_TRUE(done) << statuses_of("fetch__1").back().message;
  EXPECT_EQ(read_file(sandbox_of("fetch__1") / "out.txt"), "broker-binary\nA\nfrom-archive\n");
}

TEST_F(LocalBackendTest, AnUnreadableUriFailsTheLaunchWithTheReason) {
  open_backend();
  auto r = request("nofetch__1", "true");
  r.uris = {"file:///no/such/ternmq-bundle.tgz"};
  ASSERT_TRUE(launch(r));
  auto failed = wait_for("nofetch__1", task_state::failed);
  ASSERT_TRUE(failed);
  EXPECT_NE(failed->message.find("/no/such/ternmq-bundle.tgz"), std::string::npos) << failed->message;
  EXPECT_NE(failed->message.find("No such file"), std::string::npos) << failed->message;
}

TEST_F(LocalBackendTest, ACorruptArchiveFailsTheLaunch) {
  open_backend();
  write_file(work_.path() / "bad.tar.gz", "this is not gzip");
  auto r = request("badtar__1", "true");
  r.uris = {(work_.path() / "bad.tar.gz").string()};
  ASSERT_TRUE(launch(r));
  auto failed = wait_for("badtar__1", task_state::failed);
  ASSERT_TRUE(failed);
  EXPECT_NE(failed->message.find("bad.tar.gz"), std::string::npos) << failed->message;
  EXPECT_NE(failed->message.find("tar exited with status"), std::string::npos) << failed->message;
}

TEST_F(LocalBackendTest, LimitsAreAppliedAndClampedToWhatWeHave) {
  open_backend();
  rlimit ours{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &ours), 0);
  auto r = request("limits__1", "ulimit -n; ulimit -Hn");
  r.rlimits = {{"RLIMIT_NOFILE", 1000000, 1000000}};
  ASSERT_TRUE(launch(r));
  auto running = wait_for("limits__1", task_state::running);
  ASSERT_TRUE(running);
  EXPECT_NE(running->message.find("RLIMIT_NOFILE"), std::string::npos) << running->message;
  ASSERT_TRUE(wait_for("limits__1", task_state::finished));
  const auto limit = std::to_string(ours.rlim_max);
  EXPECT_EQ(read_file(sandbox_of("limits__1") / "stdout"), limit + "\n" + limit + "\n");

  auto small = request("limits__2", "ulimit -n");
  small.rlimits = {{"RLIMIT_NOFILE", 1024, 1024}};
  ASSERT_TRUE(launch(small));
  ASSERT_TRUE(wait_for("limits__2", task_state::finished));
  EXPECT_EQ(read_file(sandbox_of("limits__2") / "stdout"), "1024\n");
}

TEST_F(LocalBackendTest, AnUnknownLimitIsATaskError) {
  open_backend();
  auto r = request("badlimit__1", "true");
  r.rlimits = {{"RLIMIT_WHATEVER", 1, 1}};
  ASSERT_TRUE(launch(r));
  auto error = wait_for("badlimit__1", task_state::error);
  ASSERT_TRUE(error);
  EXPECT_NE(error->message.find("RLIMIT_WHATEVER"), std::string::npos);
  EXPECT_FALSE(launch(r));  // the id stays used
}

}  // namespace
}  // namespace ternmq::scheduler::local::test_support
