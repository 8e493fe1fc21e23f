// The files of a DC/OS package that Cosmos needs to install it: config.json (the options schema),
// marathon.json.mustache (the scheduler's Marathon app) and resource.json (artifact URIs).
//
// `load_package(dir)` reads them from either layout:
//   - this repository: `config.json` at the top, `universe/marathon.json.mustache`,
//     `universe/resource.json`;
//   - a Universe package revision (`repo/packages/T/ternmq/0/`) or an installed copy: all three
//     side by side.
// Each file is looked for in `dir`, then in `dir/universe`. resource.json may be absent (a package
// without artifacts); then `resource` is an empty object.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "core/base/result.hpp"

namespace ternmq::scheduler::cosmos {

struct package_files {
  nlohmann::json config;          // config.json: the options schema (a JSON object)
  std::string marathon_template;  // marathon.json.mustache
  nlohmann::json resource;        // resource.json
};

// Errors (`cosmos_errc::package_file`) name the file: "config.json not found in /opt/pkg (nor in
// /opt/pkg/universe)", "/opt/pkg/config.json: not valid JSON: ...".
core::result<package_files> load_package(const std::filesystem::path& package_dir);

}  // namespace ternmq::scheduler::cosmos
