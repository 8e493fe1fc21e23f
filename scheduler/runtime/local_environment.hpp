// What the scheduler's environment is in local mode: what Cosmos and Marathon would give it for the
// same options (the package's marathon.json.mustache rendered with the resolved options), with the
// few values that only make sense on DC/OS replaced for this machine: the broker binary instead of
// the tarball URL, no Docker image, and the API port. Reads nothing but its arguments.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/base/result.hpp"
#include "scheduler/cosmos/package_files.hpp"

namespace ternmq::scheduler::runtime {

struct local_environment {
  nlohmann::json resolved_options;
  std::map<std::string, std::string> env;
};

// Errors: invalid options (one line per problem, each with its JSON path), or a package that does
// not render.
core::result<local_environment> make_local_environment(const cosmos::package_files& package,
                                                       const nlohmann::json& user_options,
                                                       const std::filesystem::path& ternmq_bin, std::uint16_t api_port);

}  // namespace ternmq::scheduler::runtime
