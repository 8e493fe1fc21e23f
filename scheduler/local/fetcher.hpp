// The Mesos fetcher, for one machine: a launch's URIs are local paths or `file://` URIs, made
// available in the sandbox without copying:
//   - an archive (`.tar.gz`, `.tgz`) is extracted into the sandbox (by `tar -xzf`, run as a child
//     process by the task's launch so a large archive does not block the scheduler);
//   - a directory has each of its regular files linked into the sandbox under its name;
//   - any other file is linked into the sandbox under its base name (a link keeps the target's
//     mode, so an executable stays executable).
// Anything unreadable fails the launch, naming the URI.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "scheduler/local/process.hpp"

namespace ternmq::scheduler::local {

// "/a/b" or "file:///a/b" -> "/a/b"; a relative path is taken from the scheduler's working
// directory. Errors: another scheme, or an empty path.
core::result<std::filesystem::path> local_path_of(std::string_view uri);

bool is_archive(const std::filesystem::path& path);

// Links what is not an archive into `sandbox` and returns the archives still to extract, in URI
// order.
core::result<std::vector<std::filesystem::path>> fetch_into(const std::vector<std::string>& uris,
                                                            const std::filesystem::path& sandbox);

// The process that extracts `archive` into `sandbox` (its output goes to the sandbox's stderr,
// where Mesos puts the fetcher's log).
spawn_request extraction_request(const std::filesystem::path& archive, const std::filesystem::path& sandbox,
                                 const std::map<std::string, std::string>& env);

}  // namespace ternmq::scheduler::local
