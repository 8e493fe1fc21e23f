// Where `ternmq-cli` finds the scheduler's API: an `http://host[:port][/base/path]` URL, from
// `--url`, else the TERNMQ_SCHEDULER_URL environment variable, else http://127.0.0.1:8080. The base
// path lets the CLI go through a proxy that serves the API under a prefix (Admin Router's
// `/service/<name>`). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/result.hpp"

namespace ternmq::scheduler::cli {

inline constexpr std::string_view k_default_scheduler_url = "http://127.0.0.1:8080";
inline constexpr std::string_view k_scheduler_url_env = "TERNMQ_SCHEDULER_URL";

struct scheduler_url {
  std::string text;        // as given, for messages
  std::string host;        // "127.0.0.1", "::1" (without brackets), "scheduler.example"
  std::uint16_t port = 80;
  std::string base_path;   // "" or "/service/ternmq" (no trailing slash)
};

// Errors for anything but http:// (https is refused by name), a missing host, or a bad port.
core::result<scheduler_url> parse_scheduler_url(std::string_view text);

// `--url` if given, else the environment's value if set and non-empty, else the default.
std::string choose_scheduler_url(const std::optional<std::string>& flag, const std::optional<std::string>& env);

}  // namespace ternmq::scheduler::cli
