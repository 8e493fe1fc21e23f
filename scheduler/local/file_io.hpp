// The local backend's small file reads and writes, with errors as values and never an exception:
// std::ifstream throws when a read fails (as reading /proc/<pid>/stat does with ESRCH when the
// process vanishes between open and read), and a checkpoint must be replaced atomically.
#pragma once

#include <optional>
#include <string>

#include "core/base/status.hpp"

namespace ternmq::scheduler::local {

// The whole file, or nullopt when it cannot be opened. A read error ends the content early.
std::optional<std::string> read_whole_file(const std::string& path);

// Writes `content` to `path` + ".tmp", fsyncs it and renames it over `path` (mode 0600): a crash
// leaves either the old file or the new one.
core::status replace_file_atomically(const std::string& path, const std::string& content);

}  // namespace ternmq::scheduler::local
