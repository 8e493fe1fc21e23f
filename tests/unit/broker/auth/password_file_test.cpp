// Tests for the password file: the mosquitto_passwd-written fixture in tests/data/auth (see the
// README there for its passwords), the line rules, and errors that name FILE:LINE and nothing
// secret.
#include <gtest/gtest.h>

#include <string>

#include "broker/auth/password_file.hpp"
#include "broker/auth/reloading_file.hpp"
#include "tests/unit/broker/auth/auth_test_support.hpp"

namespace ternmq::auth {
namespace {

const std::string k_fixture = std::string(TERNMQ_AUTH_TEST_DATA) + "/mosquitto.passwd";

// One line of each of our hash kinds, reused to build files.
const std::string k_alice_7 =
    "alice:$7$101$XU+jSUyRA5BR5C2Q$kfk3m3OhQyiw7mwlq2wNWSd18ZeU8CNKywunEWkMpnxZklgxU2iwVOr1Rc2JfQubtAv18xIXtFTMZJkqfzUTvA==";
const std::string k_bob_6 =
    "bob:$6$nWX+7qR5CogGHAIG$r9ttEwCSb9t8j5yGWTejwV/55GexQf+CHeoA+z/t3CYUZCkj3yeIxAbzhvFNEuDmNRaM26jTfB+q8JXHAOerPg==";

std::string error_of(const std::string& text) {
  auto f = password_file::parse(text, "passwd");
  return f ? std::string("<parsed without error>") : f.err().message;
}

TEST(PasswordFile, MosquittoPasswdFixtureVerifiesEveryUser) {
  auto f = password_file::load(k_fixture);
  ASSERT_TRUE(f) << f.err().message;
  EXPECT_EQ(f->size(), 4U);
  EXPECT_TRUE(f->verify("alice", "alice-secret"));           // $7$
  EXPECT_TRUE(f->verify("bob", "bob secret"));               // $6$
  EXPECT_TRUE(f->verify("carol@example", "p:a$s#w0rd"));     // $7$, `:` and `#` in the password
  EXPECT_TRUE(f->verify("dave", "dävé-ünïcode"));            // $6$, UTF-8
  EXPECT_FALSE(f->verify("alice", "bob secret"));
  EXPECT_FALSE(f->verify("bob", "bob secret "));
  EXPECT_FALSE(f->verify("carol@example", "p:a$s#w0rd\n"));
  EXPECT_FALSE(f->verify("dave", "dave-unicode"));
  EXPECT_FALSE(f->verify("Alice", "alice-secret"));  // usernames are case-sensitive
  EXPECT_FALSE(f->verify("mallory", "alice-secret"));
  EXPECT_FALSE(f->verify("", ""));
}

TEST(PasswordFile, CommentsBlankLinesCrLfAndBlanksAreAccepted) {
  auto f = password_file::parse("# users\n\n   \n\t# indented comment\r\n  " + k_alice_7 + "  \r\n" + k_bob_6, "passwd");
  ASSERT_TRUE(f) << f.err().message;
  EXPECT_EQ(f->size(), 2U);
  EXPECT_TRUE(f->contains("alice"));
  EXPECT_TRUE(f->verify("bob", "bobpw"));  // the last line needs no newline
  EXPECT_TRUE(f->verify("alice", "alicepw"));
}

TEST(PasswordFile, EmptyFileHasNoUsers) {
  auto f = password_file::parse("", "passwd");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->size(), 0U);
  EXPECT_FALSE(f->verify("alice", "x"));
}

TEST(PasswordFile, MissingColonNamesTheLine) {
  EXPECT_EQ(error_of(k_alice_7 + "\n# c\nbob\n"), "passwd:3: expected username:hash");
}

TEST(PasswordFile, EmptyUsername) {
  EXPECT_EQ(error_of(":$6$nWX+7qR5CogGHAIG$Zm9v\n"), "passwd:1: empty username");
}

TEST(PasswordFile, UnknownSchemeNamesTheLine) {
  EXPECT_EQ(error_of(k_alice_7 + "\nbob:$2y$10$abcdefghijklmnopqrstuv\n"),
            "passwd:2: unknown hash scheme (expected $pbkdf2-sha512$, $7$ or $6$)");
  EXPECT_EQ(parse_password_hash("$2y$").err().code, 1);
  EXPECT_EQ(password_file::parse("bob:$2y$\n", "passwd").err().code, static_cast<int>(file_errc::malformed));
}

TEST(PasswordFile, BadBase64NamesTheLine) {
  EXPECT_EQ(error_of("\n\nalice:$7$101$XU+jSUyRA5BR5C2Q$kfk3m3Oh*yiw\n"), "passwd:3: bad base64 in hash");
}

TEST(PasswordFile, BadIterationCountNamesTheLine) {
  EXPECT_EQ(error_of("alice:$7$0$XU+jSUyRA5BR5C2Q$kfk3\n"),
            "passwd:1: iteration count must be a whole number from 1 to 5000000");
}

TEST(PasswordFile, RepeatedUsernameNamesBothLines) {
  EXPECT_EQ(error_of(k_alice_7 + "\n" + k_bob_6 + "\n" + k_alice_7 + "\n"),
            "passwd:3: username repeated (first on line 1)");
}

// The errors carry the file and line only: no username, no hash, and no plain-text password that was
// typed where a hash belongs.
TEST(PasswordFile, ErrorsNeverQuoteTheLine) {
  for (const std::string& text : {std::string("secretuser:hunter2\n"), std::string("secretuser hunter2\n"),
                                 std::string("secretuser:$7$1$hunter2$hunter2\n"),
                                 std::string("secretuser:$6$hunter2==$aHVudGVyMg==\n")}) {
    const std::string message = error_of(text);
    EXPECT_TRUE(message.starts_with("passwd:1: ")) << message;
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_EQ(message.find("secretuser"), std::string::npos) << message;
    EXPECT_EQ(message.find("aHVudGVyMg"), std::string::npos) << message;
  }
}

TEST(PasswordFile, UnreadableFileIsNamed) {
  auto f = password_file::load("/nonexistent/ternmq/passwd");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.err().code, static_cast<int>(file_errc::unreadable));
  EXPECT_EQ(f.err().message, "/nonexistent/ternmq/passwd: cannot open: No such file or directory");
}

TEST(PasswordFile, ErrorsNameTheFileAsGiven) {
  test::temp_dir dir;
  const std::string path = dir.file("broken.passwd");
  test::write_text(path, k_alice_7 + "\nnocolon\n");
  auto f = password_file::load(path);
  ASSERT_FALSE(f);
  EXPECT_EQ(f.err().message, path + ":2: expected username:hash");
}

}  // namespace
}  // namespace ternmq::auth
