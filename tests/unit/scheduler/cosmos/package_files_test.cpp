// Tests for reading a package: the repository layout, the flat Universe layout, and errors naming
// the file.
#include "scheduler/cosmos/package_files.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "scheduler/cosmos/cosmos_errc.hpp"
#include "tests/unit/scheduler/cosmos/cosmos_test_support.hpp"

namespace ternmq::scheduler::cosmos {
namespace {

namespace fs = std::filesystem;

class PackageFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ternmq-cosmos-test-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const fs::path& relative, const std::string& text) {
    fs::create_directories((dir_ / relative).parent_path());
    std::ofstream(dir_ / relative) << text;
  }

  fs::path dir_;
};

TEST_F(PackageFilesTest, TheRepositoryLayout) {
  const auto files = load_package(test::source_dir());
  ASSERT_TRUE(files) << files.err().message;
  EXPECT_EQ(files->config, test::read_json(test::source_dir() / "config.json"));  // the top-level source, not the copy
  EXPECT_NE(files->marathon_template.find("\"env\""), std::string::npos);
  EXPECT_EQ(files->resource["assets"]["container"]["docker"]["ternmq"], "ternmq/ternmq:0.1.0");
}

TEST_F(PackageFilesTest, TheFlatUniverseLayout) {
  write("config.json", R"({"type": "object", "properties": {}})");
  write("marathon.json.mustache", R"({"env": {}})");
  write("resource.json", R"({"assets": {}})");
  const auto files = load_package(dir_);
  ASSERT_TRUE(files) << files.err().message;
  EXPECT_EQ(files->marathon_template, R"({"env": {}})");
  EXPECT_EQ(files->resource, nlohmann::json::parse(R"({"assets": {}})"));
}

TEST_F(PackageFilesTest, ResourceJsonIsOptional) {
  write("config.json", R"({})");
  write("universe/marathon.json.mustache", "{}");
  const auto files = load_package(dir_);
  ASSERT_TRUE(files) << files.err().message;
  EXPECT_EQ(files->resource, nlohmann::json::object());
}

TEST_F(PackageFilesTest, ErrorsNameTheFile) {
  auto r = load_package(dir_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, static_cast<int>(cosmos_errc::package_file));
  EXPECT_EQ(r.err().message, "config.json not found in " + dir_.string() + " (nor in " + (dir_ / "universe").string() + ")");

  write("config.json", "{");
  r = load_package(dir_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().message.rfind((dir_ / "config.json").string() + ": not valid JSON: ", 0), 0u) << r.err().message;

  write("config.json", "[]");
  r = load_package(dir_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().message, (dir_ / "config.json").string() + ": expected a JSON object");

  write("config.json", "{}");
  r = load_package(dir_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().message.rfind("marathon.json.mustache not found in ", 0), 0u);

  write("marathon.json.mustache", "{}");
  write("universe/resource.json", "nope");
  r = load_package(dir_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().message.rfind((dir_ / "universe" / "resource.json").string() + ": not valid JSON", 0), 0u);
}

}  // namespace
}  // namespace ternmq::scheduler::cosmos
