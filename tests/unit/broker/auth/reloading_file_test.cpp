// Tests for `reloading_file`: the first load decides whether the broker starts; later checks pick up
// changed files, keep the previous table on a bad one and report each failing version once.
// Changes are made with different sizes, explicit modification times or renames, never by sleeping.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "broker/auth/acl_file.hpp"
#include "broker/auth/password_file.hpp"
#include "broker/auth/reloading_file.hpp"
#include "tests/unit/broker/auth/auth_test_support.hpp"

namespace ternmq::auth {
namespace {

using lines = std::vector<std::string>;

// A stand-in table: the file's lines; a line reading "bad" is malformed.
core::result<lines> parse_lines(std::string_view text, const std::string& file_name) {
  lines out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    out.emplace_back(text.substr(start, end - start));
    if (out.back() == "bad")
      return file_error(file_errc::malformed, file_name + ":" + std::to_string(out.size()) + ": bad line");
    start = end + 1;
  }
  return out;
}

std::unique_ptr<reloading_file<lines>> open_lines(const std::string& path) {
  auto file = reloading_file<lines>::open(path, parse_lines);
  EXPECT_TRUE(file) << file.err().message;
  return file ? std::move(file).value() : nullptr;
}

// Gives the file a modification time that differs from any it had, whatever the clock's resolution.
void bump_mtime(const std::string& path, int seconds) {
  std::filesystem::last_write_time(path, std::filesystem::last_write_time(path) + std::chrono::seconds(seconds));
}

TEST(ReloadingFile, OpenParsesTheFile) {
  test::temp_dir dir;
  test::write_text(dir.file("f"), "a\nb\n");
  auto file = open_lines(dir.file("f"));
  ASSERT_TRUE(file);
  EXPECT_EQ(*file->current(), (lines{"a", "b"}));
  EXPECT_EQ(file->path(), dir.file("f"));
}

TEST(ReloadingFile, OpenRefusesABadOrMissingFile) {
  test::temp_dir dir;
  test::write_text(dir.file("f"), "a\nbad\n");
  auto bad = reloading_file<lines>::open(dir.file("f"), parse_lines);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.err().message, dir.file("f") + ":2: bad line");
  auto missing = reloading_file<lines>::open(dir.file("none"), parse_lines);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.err().code, static_cast<int>(file_errc::unreadable));
}

TEST(ReloadingFile, UnchangedFileIsNotReread) {
  test::temp_dir dir;
  test::write_text(dir.file("f"), "a\n");
  auto file = open_lines(dir.file("f"));
  const auto before = file->current();
  auto outcome = file->check();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(*outcome, reload_outcome::unchanged);
  EXPECT_EQ(file->current(), before);
}

TEST(ReloadingFile, BadChangeKeepsTheOldTableAndIsReportedOnce) {
  test::temp_dir dir;
  const std::string path = dir.file("f");
  test::write_text(path, "a\n");
  auto file = open_lines(path);
  const auto before = file->current();

  test::write_text(path, "a\nb\nbad\n");
  auto first = file->check();
  ASSERT_FALSE(first);
  EXPECT_EQ(first.err().message, path + ":3: bad line");
  EXPECT_EQ(file->current(), before);

  auto second = file->check();  // the same bad version: not reported again
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, reload_outcome::unchanged);
  EXPECT_EQ(file->current(), before);

  test::write_text(path, "a\nb\nc\n");  // fixed
  auto third = file->check();
  ASSERT_TRUE(third) << third.err().message;
  EXPECT_EQ(*third, reload_outcome::reloaded);
  EXPECT_EQ(*file->current(), (lines{"a", "b", "c"}));
  EXPECT_EQ(*before, (lines{"a"}));  // a reader's old table is untouched
}

TEST(ReloadingFile, SameSizeEditIsSeenThroughTheModificationTime) {
  test::temp_dir dir;
  const std::string path = dir.file("f");
  test::write_text(path, "one\n");
  auto file = open_lines(path);
  test::write_text(path, "two\n");
  bump_mtime(path, 5);
  auto outcome = file->check();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(*outcome, reload_outcome::reloaded);
  EXPECT_EQ(*file->current(), (lines{"two"}));
}

TEST(ReloadingFile, ReplacementByRenameIsSeen) {
  test::temp_dir dir;
  const std::string path = dir.file("f");
  test::write_text(path, "one\n");
  auto file = open_lines(path);
  test::write_text(dir.file("f.new"), "two\n");
  std::filesystem::last_write_time(dir.file("f.new"), std::filesystem::last_write_time(path));
  std::filesystem::rename(dir.file("f.new"), path);
  auto outcome = file->check();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(*outcome, reload_outcome::reloaded);
  EXPECT_EQ(*file->current(), (lines{"two"}));
}

TEST(ReloadingFile, MissingFileKeepsTheTableAndIsReportedOnce) {
  test::temp_dir dir;
  const std::string path = dir.file("f");
  test::write_text(path, "a\n");
  auto file = open_lines(path);
  std::filesystem::remove(path);
  auto first = file->check();
  ASSERT_FALSE(first);
  EXPECT_EQ(first.err().message, path + ": cannot stat: No such file or directory");
  auto second = file->check();
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, reload_outcome::unchanged);
  EXPECT_EQ(*file->current(), (lines{"a"}));

  // A new file may reuse the inode number and get the same modification time; its size differs.
  test::write_text(path, "bb\n");
  auto back = file->check();
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, reload_outcome::reloaded);
  EXPECT_EQ(*file->current(), (lines{"bb"}));
}

TEST(ReloadingFile, ReadersOnOtherThreadsAlwaysSeeAWholeTable) {
  test::temp_dir dir;
  const std::string path = dir.file("f");
  test::write_text(path, "x\n");
  auto file = open_lines(path);
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 2; ++i) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        const auto table = file->current();
        for (const auto& line : *table)
          if (line != table->front()) ++torn;
        std::this_thread::yield();  // the machine may have fewer cores than threads here
      }
    });
  }
  for (int n = 1; n <= 50; ++n) {
    test::write_text(path, std::string(n % 2 ? "yy\nyy\n" : "z\nz\nz\n"));
    bump_mtime(path, n);
    ASSERT_TRUE(file->check());
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(torn.load(), 0);
}

TEST(ReloadingFile, WorksWithThePasswordAndAclTables) {
  test::temp_dir dir;
  test::write_text(dir.file("passwd"), "# none yet\n");
  test::write_text(dir.file("acl"), "topic read a\n");
  auto passwords = reloading_file<password_file>::open(dir.file("passwd"), password_file::parse);
  auto acl = reloading_file<acl_file>::open(dir.file("acl"), acl_file::parse);
  ASSERT_TRUE(passwords) << passwords.err().message;
  ASSERT_TRUE(acl) << acl.err().message;
  EXPECT_EQ((*passwords)->current()->size(), 0U);

  test::write_text(dir.file("passwd"), "bob:" + *make_password_hash("pw", 1000) + "\n");
  test::write_text(dir.file("acl"), "topic read a\ntopic wrong b\nnonsense\n");
  ASSERT_TRUE((*passwords)->check());
  auto acl_outcome = (*acl)->check();
  ASSERT_FALSE(acl_outcome);
  EXPECT_EQ(acl_outcome.err().message, dir.file("acl") + ":3: unknown keyword (expected topic, user or pattern)");
  EXPECT_TRUE((*passwords)->current()->verify("bob", "pw"));
  EXPECT_TRUE((*acl)->current()->can_subscribe(client_view{"c", std::nullopt}, "a"));
}

}  // namespace
}  // namespace ternmq::auth
