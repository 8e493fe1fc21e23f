// Spawning, signalling and reaping real processes: environment, directory, session, output
// files, descriptors, limits and exit statuses.
#include "scheduler/local/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

#include <gtest/gtest.h>

#include "scheduler/local/proc_stat.hpp"
#include "tests/unit/scheduler/local/test_support.hpp"

namespace ternmq::scheduler::local {
namespace {

using test_support::lines_of;
using test_support::read_file;

class ProcessTest : public ::testing::Test {
 protected:
  void TearDown() override {
    EXPECT_TRUE(test_support::zombie_children().empty());
    test_support::kill_and_reap_children();
  }

  spawn_request shell(const std::string& cmd) const {
    spawn_request r;
    r.argv = shell_argv(cmd);
    r.working_dir = dir_.path().string();
    r.env = {{"PATH", "/usr/bin:/bin"}};
    r.stdout_path = (dir_.path() / "stdout").string();
    r.stderr_path = (dir_.path() / "stderr").string();
    return r;
  }

  // Runs `cmd` to its end; returns its wait status.
  int run(const spawn_request& r) {
    auto spawned = spawn(r);
    EXPECT_TRUE(spawned) << spawned.err().message;
    if (!spawned) return -1;
    std::optional<int> status;
    EXPECT_TRUE(test_support::wait_until([&] { return (status = reap_if_exited(spawned->pid)).has_value(); }));
    return status.value_or(-1);
  }
  int run(const std::string& cmd) { return run(shell(cmd)); }

  test_support::temp_dir dir_;
};

TEST_F(ProcessTest, RunsInItsDirectoryWithExactlyTheGivenEnvironment) {
  auto r = shell("tr '\\0' '\\n' < /proc/$$/environ > env.txt; pwd > pwd.txt");
  r.env["GREETING"] = "hello world";
  ASSERT_TRUE(exited_successfully(run(r)));
  auto env = lines_of(read_file(dir_.path() / "env.txt"));
  std::sort(env.begin(), env.end());
  EXPECT_EQ(env, (std::vector<std::string>{"GREETING=hello world", "PATH=/usr/bin:/bin"}));
  EXPECT_EQ(read_file(dir_.path() / "pwd.txt"), dir_.path().string() + "\n");
}

TEST_F(ProcessTest, LeadsItsOwnSessionAndProcessGroup) {
  auto spawned = spawn(shell("exec sleep 30"));
  ASSERT_TRUE(spawned) << spawned.err().message;
  EXPECT_EQ(::getsid(spawned->pid), spawned->pid);
  EXPECT_EQ(::getpgid(spawned->pid), spawned->pid);
  EXPECT_EQ(process_start_time(spawned->pid), spawned->start_time);
  EXPECT_FALSE(reap_if_exited(spawned->pid));
  signal_group(spawned->pid, SIGTERM);
  std::optional<int> status;
  ASSERT_TRUE(test_support::wait_until([&] { return (status = reap_if_exited(spawned->pid)).has_value(); }));
  EXPECT_EQ(describe_wait_status(*status), "killed by signal 15");
}

TEST_F(ProcessTest, ExitOfTheLeaderKillsWhatItLeftInItsGroup) {
  ASSERT_TRUE(exited_successfully(run("sleep 300 & echo $! > child.pid")));
  const auto child = static_cast<pid_t>(std::stol(read_file(dir_.path() / "child.pid")));
  // The orphan was reparented away from us, so only /proc can tell it is gone.
  EXPECT_TRUE(test_support::wait_until([&] {
    auto stat = read_proc_stat(child);
    return !stat || stat->state == 'Z' || stat->state == 'X';
  }));
}

TEST_F(ProcessTest, ExitStatusesAreDescribed) {
  EXPECT_EQ(describe_wait_status(run("exit 0")), "exited with status 0");
  EXPECT_TRUE(exited_successfully(run("true")));
  EXPECT_EQ(describe_wait_status(run("exit 3")), "exited with status 3");
  EXPECT_EQ(describe_wait_status(run("kill -9 $$")), "killed by signal 9");
  EXPECT_EQ(describe_wait_status(run("no-such-command-for-ternmq")), "exited with status 127");
  EXPECT_EQ(describe_wait_status(-1), "exited with an unknown status");
  EXPECT_FALSE(exited_successfully(-1));
}

TEST_F(ProcessTest, OutputIsAppendedOrTruncatedAsAsked) {
  ASSERT_TRUE(exited_successfully(run("echo one; echo err >&2")));
  ASSERT_TRUE(exited_successfully(run("echo two")));
  EXPECT_EQ(read_file(dir_.path() / "stdout"), "one\ntwo\n");
  EXPECT_EQ(read_file(dir_.path() / "stderr"), "err\n");

  auto r = shell("echo three; echo four >&2");
  r.stderr_path = r.stdout_path;
  r.truncate_output = true;
  ASSERT_TRUE(exited_successfully(run(r)));
  EXPECT_EQ(read_file(dir_.path() / "stdout"), "three\nfour\n");
}

TEST_F(ProcessTest, InheritsNoOtherDescriptor) {
  const int leaked = ::open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
  ASSERT_GE(leaked, 3);
  const int status = run("ls /proc/$$/fd > fds.txt");
  ::close(leaked);
  ASSERT_TRUE(exited_successfully(status));
  auto fds = lines_of(read_file(dir_.path() / "fds.txt"));
  EXPECT_EQ(std::count(fds.begin(), fds.end(), std::to_string(leaked)), 0) << read_file(dir_.path() / "fds.txt");
  EXPECT_EQ(std::count(fds.begin(), fds.end(), "1"), 1);
}

TEST_F(ProcessTest, StartsWithDefaultSignalDispositions) {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction before {};
  ::sigaction(SIGTERM, &ignore, &before);
  auto spawned = spawn(shell("exec sleep 30"));
  ::sigaction(SIGTERM, &before, nullptr);
  ASSERT_TRUE(spawned);
  signal_group(spawned->pid, SIGTERM);
  std::optional<int> status;
  ASSERT_TRUE(test_support::wait_until([&] { return (status = reap_if_exited(spawned->pid)).has_value(); }));
  EXPECT_EQ(describe_wait_status(*status), "killed by signal 15");
}

TEST_F(ProcessTest, MissingDirectoryIsAnErrorAndLeavesNoProcess) {
  auto r = shell("true");
  r.working_dir = (dir_.path() / "missing").string();
  auto spawned = spawn(r);
  ASSERT_FALSE(spawned);
  EXPECT_NE(spawned.err().message.find("chdir"), std::string::npos) << spawned.err().message;
  EXPECT_TRUE(test_support::children_of_this_process().empty());
}

TEST_F(ProcessTest, UnwritableOutputIsAnError) {
  auto r = shell("true");
  r.stdout_path = (dir_.path() / "missing" / "stdout").string();
  auto spawned = spawn(r);
  ASSERT_FALSE(spawned);
  EXPECT_NE(spawned.err().message.find("missing/stdout"), std::string::npos) << spawned.err().message;
}

TEST_F(ProcessTest, LimitsAreApplied) {
  auto plan = resolve_rlimits({{"RLIMIT_NOFILE", 1024, 2048}, {"RLIMIT_CORE", 0, 0}});
  ASSERT_TRUE(plan) << plan.err().message;
  EXPECT_TRUE(plan->warnings.empty());
  auto r = shell("ulimit -n; ulimit -Hn; ulimit -c");
  r.rlimits = plan->limits;
  ASSERT_TRUE(exited_successfully(run(r)));
  EXPECT_EQ(read_file(dir_.path() / "stdout"), "1024\n2048\n0\n");
}

TEST_F(ProcessTest, LimitsAboveOurHardLimitAreClampedWithAWarning) {
  rlimit ours{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &ours), 0);
  ASSERT_NE(ours.rlim_max, RLIM_INFINITY);
  auto plan = resolve_rlimits({{"RLIMIT_NOFILE", 100000000, 100000000}});
  ASSERT_TRUE(plan) << plan.err().message;
  ASSERT_EQ(plan->warnings.size(), 1u);
  EXPECT_NE(plan->warnings[0].find("RLIMIT_NOFILE"), std::string::npos);
  auto r = shell("ulimit -n; ulimit -Hn");
  r.rlimits = plan->limits;
  ASSERT_TRUE(exited_successfully(run(r)));
  const auto limit = std::to_string(ours.rlim_max);
  EXPECT_EQ(read_file(dir_.path() / "stdout"), limit + "\n" + limit + "\n");
}

TEST(Rlimits, NamesAndDefaults) {
  EXPECT_EQ(rlimit_resource("RLIMIT_NOFILE"), RLIMIT_NOFILE);
  EXPECT_FALSE(rlimit_resource("RLIMIT_BOGUS"));
  auto unknown = resolve_rlimits({{"RLIMIT_BOGUS", 1, 1}});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.err().message.find("RLIMIT_BOGUS"), std::string::npos);
  EXPECT_FALSE(resolve_rlimits({{"RLIMIT_NOFILE", -1, std::nullopt}}));

  rlimit ours{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &ours), 0);
  auto soft_only = resolve_rlimits({{"RLIMIT_NOFILE", 512, std::nullopt}});
  ASSERT_TRUE(soft_only);
  EXPECT_EQ(soft_only->limits.at(0).soft, 512u);
  EXPECT_EQ(soft_only->limits.at(0).hard, ours.rlim_max);
  EXPECT_TRUE(soft_only->warnings.empty());

  auto soft_above_hard = resolve_rlimits({{"RLIMIT_NOFILE", 900, 800}});
  ASSERT_TRUE(soft_above_hard);
  EXPECT_EQ(soft_above_hard->limits.at(0).soft, 800u);
  EXPECT_EQ(soft_above_hard->warnings.size(), 1u);
}

TEST(ProcStat, NamesAProcessByPidAndStartTime) {
  auto self = read_proc_stat(::getpid());
  ASSERT_TRUE(self);
  EXPECT_EQ(self->parent, ::getppid());
  EXPECT_TRUE(is_same_process_running(::getpid(), self->start_time));
  EXPECT_FALSE(is_same_process(::getpid(), self->start_time + 1));
  EXPECT_FALSE(read_proc_stat(0));
}

}  // namespace
}  // namespace ternmq::scheduler::local
