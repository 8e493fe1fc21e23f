// Drives the built ternmq-passwd binary as a subprocess (password on stdin, which is then not a
// terminal) and checks its files with the broker's own parser.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "broker/auth/password_file.hpp"
#include "tests/unit/broker/auth/auth_test_support.hpp"

namespace ternmq::auth {
namespace {

struct run_result {
  int exit_code = -1;
  std::string err;
};

class TernmqPasswd : public ::testing::Test {
 protected:
  // Runs `ternmq-passwd ARGS` with `input` on stdin. Arguments are single-quoted for the shell.
  run_result run(const std::vector<std::string>& args, const std::string& input = "") {
    test::write_text(dir_.file("stdin"), input);
    std::string command = std::string("'") + TERNMQ_PASSWD_BIN + "'";
    for (const auto& a : args) command += " '" + a + "'";
    command += " < '" + dir_.file("stdin") + "' 2> '" + dir_.file("stderr") + "' > /dev/null";
    const int status = std::system(command.c_str());
    run_result out;
    out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    out.err = test::read_text(dir_.file("stderr"));
    return out;
  }

  password_file load() {
    auto f = password_file::load(path_);
    EXPECT_TRUE(f) << f.err().message;
    return f ? std::move(f).value() : *password_file::parse("", "empty");
  }

  test::temp_dir dir_;
  const std::string path_ = dir_.file("passwd");
};

TEST_F(TernmqPasswd, CreateAddUpdateAndDelete) {
  ASSERT_EQ(run({"-c", path_, "alice"}, "alice-pw\n").exit_code, 0);
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  EXPECT_TRUE(load().verify("alice", "alice-pw"));
  EXPECT_TRUE(test::read_text(path_).starts_with("alice:$pbkdf2-sha512$120000$"));

  ASSERT_EQ(run({path_, "bob"}, "bob pw: with colon").exit_code, 0);  // no newline at the end
  EXPECT_TRUE(load().verify("alice", "alice-pw"));
  EXPECT_TRUE(load().verify("bob", "bob pw: with colon"));

  ASSERT_EQ(run({path_, "alice"}, "new-pw\r\n").exit_code, 0);
  const password_file updated = load();
  EXPECT_EQ(updated.size(), 2U);
  EXPECT_TRUE(updated.verify("alice", "new-pw"));
  EXPECT_FALSE(updated.verify("alice", "alice-pw"));

  ASSERT_EQ(run({"-D", path_, "alice"}).exit_code, 0);
  const password_file deleted = load();
  EXPECT_EQ(deleted.size(), 1U);
  EXPECT_FALSE(deleted.contains("alice"));
  EXPECT_TRUE(deleted.verify("bob", "bob pw: with colon"));
}

TEST_F(TernmqPasswd, CreateOverwritesAndKeepsNoOtherUser) {
  ASSERT_EQ(run({"-c", path_, "alice"}, "a\n").exit_code, 0);
  ASSERT_EQ(run({"-c", path_, "bob"}, "b\n").exit_code, 0);
  EXPECT_EQ(load().size(), 1U);
  EXPECT_TRUE(load().verify("bob", "b"));
}

TEST_F(TernmqPasswd, UpdateKeepsCommentsAndMosquittoEntries) {
  const std::string fixture = test::read_text(std::string(TERNMQ_AUTH_TEST_DATA) + "/mosquitto.passwd");
  test::write_text(path_, "# managed by hand\n\n" + fixture);
  ASSERT_EQ(run({path_, "bob"}, "changed\n").exit_code, 0);
  const std::string text = test::read_text(path_);
  EXPECT_TRUE(text.starts_with("# managed by hand\n\nalice:$7$101$")) << text;
  const password_file f = load();
  EXPECT_TRUE(f.verify("alice", "alice-secret"));
  EXPECT_TRUE(f.verify("bob", "changed"));
  EXPECT_TRUE(f.verify("dave", "dävé-ünïcode"));
}

TEST_F(TernmqPasswd, UpgradeHashesPlainTextLines) {
  test::write_text(path_, "# plain\nalice:alice-pw\n\nbob:pw:with:colons\r\n");
  ASSERT_EQ(run({"-U", path_}).exit_code, 0);
  const std::string text = test::read_text(path_);
  EXPECT_EQ(text.find("alice-pw"), std::string::npos);
  EXPECT_TRUE(text.starts_with("# plain\nalice:$pbkdf2-sha512$")) << text;
  const password_file f = load();
  EXPECT_TRUE(f.verify("alice", "alice-pw"));
  EXPECT_TRUE(f.verify("bob", "pw:with:colons"));
}

TEST_F(TernmqPasswd, UpgradeRefusesAMalformedFileAndLeavesItAlone) {
  const std::string original = "alice:alice-pw\nno colon here\n";
  test::write_text(path_, original);
  const run_result r = run({"-U", path_});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "ternmq-passwd: " + path_ + ":2: expected username:password (the file was not changed)\n");
  EXPECT_EQ(test::read_text(path_), original);
}

TEST_F(TernmqPasswd, DeletingAnUnknownUserFails) {
  ASSERT_EQ(run({"-c", path_, "alice"}, "a\n").exit_code, 0);
  const run_result r = run({"-D", path_, "mallory"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "ternmq-passwd: " + path_ + ": no such user\n");
}

TEST_F(TernmqPasswd, UpdatingAMissingFileFails) {
  const run_result r = run({path_, "alice"}, "a\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "ternmq-passwd: " + path_ + ": cannot open: No such file or directory\n");
  EXPECT_FALSE(std::filesystem::exists(path_));
}

// The tool does not write a file the broker would refuse to load.
TEST_F(TernmqPasswd, UpdateRefusesAFileTheBrokerWouldRefuse) {
  test::write_text(path_, "alice:plaintext\n");
  const run_result r = run({path_, "bob"}, "b\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.find("plaintext"), std::string::npos);
  EXPECT_TRUE(r.err.starts_with("ternmq-passwd: " + path_ + ":1: not a password hash")) << r.err;
  EXPECT_EQ(test::read_text(path_), "alice:plaintext\n");
  // Deleting the bad entry is allowed, since the result loads.
  ASSERT_EQ(run({"-D", path_, "alice"}).exit_code, 0);
  EXPECT_EQ(load().size(), 0U);
}

TEST_F(TernmqPasswd, BadPasswordsAndUsernamesFail) {
  EXPECT_EQ(run({"-c", path_, "alice"}, "").exit_code, 1);    // no line at all
  EXPECT_EQ(run({"-c", path_, "alice"}, "\n").exit_code, 1);  // empty password
  for (const char* bad : {"a:b", "#alice", " alice", "alice\t", ""}) {
    const run_result r = run({"-c", path_, bad}, "pw\n");
    EXPECT_EQ(r.exit_code, 1) << bad;
    EXPECT_TRUE(r.err.starts_with("ternmq-passwd: ")) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(TernmqPasswd, WrongUsageExitsWithTwo) {
  EXPECT_EQ(run({}).exit_code, 2);
  EXPECT_EQ(run({path_}).exit_code, 2);
  EXPECT_EQ(run({"-c", "-D", path_, "alice"}).exit_code, 2);
  EXPECT_EQ(run({"-U", path_, "alice"}).exit_code, 2);
  EXPECT_EQ(run({"-x", path_, "alice"}).exit_code, 2);
  EXPECT_EQ(run({"-h"}).exit_code, 0);
}

TEST_F(TernmqPasswd, LeavesNoTemporaryFilesBehind) {
  ASSERT_EQ(run({"-c", path_, "alice"}, "a\n").exit_code, 0);
  ASSERT_EQ(run({path_, "bob"}, "b\n").exit_code, 0);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(path_).parent_path()))
    if (entry.path().filename().string().starts_with("passwd")) ++files;
  EXPECT_EQ(files, 1);
}

}  // namespace
}  // namespace ternmq::auth
