// Test helpers that read the repository's own package files: `edge-lb/pool.json.mustache`,
// `config.json` (for the option defaults Cosmos would fill in) and the package tests' option sets,
// so the edgelb tests render the real template with realistic options, as tests/package does.
// TERNMQ_SOURCE_DIR is the repository root, given by tests.cmake.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace ternmq::scheduler::edgelb::test {

inline std::string read_repo_file(const std::string& relative) {
  std::ifstream in(std::string(TERNMQ_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string pool_template() { return read_repo_file("edge-lb/pool.json.mustache"); }

// Cosmos's extraction of defaults from the options schema: every property's default, nested
// objects collected recursively.
inline nlohmann::json schema_defaults(const nlohmann::json& schema) {
  nlohmann::json out = nlohmann::json::object();
  if (!schema.contains("properties")) return out;
  for (const auto& [name, sub] : schema["properties"].items()) {
    if (sub.value("type", "") == "object" && sub.contains("properties")) {
      out[name] = schema_defaults(sub);
    } else if (sub.contains("default")) {
      out[name] = sub["default"];
    }
  }
  return out;
}

// config.json's defaults with `options` merged over them: the resolved options.
inline nlohmann::json resolved_options(const nlohmann::json& options = nlohmann::json::object()) {
  nlohmann::json resolved = schema_defaults(nlohmann::json::parse(read_repo_file("config.json")));
  resolved.merge_patch(options);
  return resolved;
}

// One of tests/package/options/*.json, resolved.
inline nlohmann::json option_set(const std::string& name) {
  return resolved_options(nlohmann::json::parse(read_repo_file("tests/package/options/" + name + ".json")));
}

}  // namespace ternmq::scheduler::edgelb::test
