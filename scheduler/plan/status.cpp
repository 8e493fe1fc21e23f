#include "scheduler/plan/status.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace ternmq::scheduler::plans {
namespace {

constexpr std::array<std::pair<status, std::string_view>, 9> k_names = {{
    {status::error, "ERROR"},
    {status::waiting, "WAITING"},
    {status::pending, "PENDING"},
    {status::prepared, "PREPARED"},
    {status::starting, "STARTING"},
    {status::started, "STARTED"},
    {status::complete, "COMPLETE"},
    {status::delayed, "DELAYED"},
    {status::in_progress, "IN_PROGRESS"},
}};

bool any(std::span<const status> statuses, status s) {
  return std::find(statuses.begin(), statuses.end(), s) != statuses.end();
}

bool all(std::span<const status> statuses, status s) {
  return std::all_of(statuses.begin(), statuses.end(), [s](status x) { return x == s; });
}

}  // namespace

std::string_view to_string(status s) {
  for (const auto& [value, name] : k_names) {
    if (value == s) return name;
  }
  return "UNKNOWN";
}

std::optional<status> parse_status(std::string_view text) {
  for (const auto& [value, name] : k_names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

bool is_running(status s) {
  return s == status::pending || s == status::prepared || s == status::starting || s == status::started ||
         s == status::in_progress;
}

status aggregate_status(std::span<const status> children, std::span<const status> candidates,
                        bool has_errors, bool interrupted) {
  // Order matters: it is the SDK's, and the first match wins.
  if (has_errors || any(children, status::error)) return status::error;
  if (all(children, status::complete)) return status::complete;
  if (all(candidates, status::delayed) && all(children, status::delayed)) return status::delayed;
  if (interrupted) return status::waiting;
  if (any(children, status::prepared)) return status::in_progress;
  if (any(candidates, status::waiting)) return status::waiting;
  if (any(candidates, status::in_progress)) return status::in_progress;
  if (any(children, status::complete) &&
      (any(candidates, status::pending) || any(candidates, status::starting) || any(candidates, status::started))) {
    return status::in_progress;
  }
  if (any(candidates, status::pending)) return status::pending;
  if (any(children, status::waiting)) return status::waiting;
  if (any(candidates, status::starting)) return status::starting;
  if (any(candidates, status::started)) return status::started;

  // The SDK stops here with ERROR; see the header for why these follow.
  if (any(candidates, status::delayed) || any(children, status::delayed)) return status::delayed;
  if (any(children, status::starting) || any(children, status::started) || any(children, status::in_progress)) {
    return status::in_progress;
  }
  if (any(children, status::pending)) return status::pending;
  return status::error;
}

}  // namespace ternmq::scheduler::plans
