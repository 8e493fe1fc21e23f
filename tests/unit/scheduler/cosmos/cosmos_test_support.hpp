// Helpers shared by the cosmos tests: the repository's own package and option sets
// (tests/package/options/), read from the source tree named by TERNMQ_SOURCE_DIR.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "scheduler/cosmos/package_files.hpp"

namespace ternmq::scheduler::cosmos::test {

inline std::filesystem::path source_dir() { return TERNMQ_SOURCE_DIR; }

inline nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) ADD_FAILURE() << "cannot open " << path;
  return nlohmann::json::parse(in, nullptr, false);
}

// An option set of tests/package/options/ by name ("defaults", "big-5-nodes", ...).
inline nlohmann::json option_set(const std::string& name) {
  return read_json(source_dir() / "tests" / "package" / "options" / (name + ".json"));
}

// The package at the top of the repository (config.json, universe/).
inline package_files repo_package() {
  auto files = load_package(source_dir());
  if (!files) ADD_FAILURE() << files.err().message;
  return files ? *files : package_files{};
}

}  // namespace ternmq::scheduler::cosmos::test
