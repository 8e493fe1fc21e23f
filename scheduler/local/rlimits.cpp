// RLIMIT_* names and the clamping of requested limits to what this process may grant.
#include "scheduler/local/rlimits.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace ternmq::scheduler::local {
namespace {

constexpr std::array<std::pair<std::string_view, int>, 16> k_resources{{
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
}};

std::string show(rlim_t value) { return value == RLIM_INFINITY ? "unlimited" : std::to_string(value); }

}  // namespace

std::optional<int> rlimit_resource(std::string_view name) {
  for (const auto& [known, resource] : k_resources) {
    if (known == name) return resource;
  }
  return std::nullopt;
}

core::result<rlimit_plan> resolve_rlimits(const std::vector<model::rlimit_spec>& specs) {
  rlimit_plan plan;
  for (const auto& spec : specs) {
    const auto resource = rlimit_resource(spec.name);
    if (!resource) return core::error{1, "unknown rlimit '" + spec.name + "'"};
    if ((spec.soft && *spec.soft < 0) || (spec.hard && *spec.hard < 0)) {
      return core::error{1, "rlimit " + spec.name + " has a negative value"};
    }
    rlimit ours{};
    if (getrlimit(*resource, &ours) != 0) return core::error{1, "getrlimit(" + spec.name + ") failed"};

    rlim_t hard = RLIM_INFINITY;
    if (spec.hard) {
      hard = static_cast<rlim_t>(*spec.hard);
    } else if (spec.soft) {
      hard = ours.rlim_max;  // only a soft limit asked for: leave the ceiling where it is
    }
    const rlim_t wanted_soft = spec.soft ? static_cast<rlim_t>(*spec.soft) : hard;
    // RLIM_INFINITY is the largest rlim_t, so these comparisons also handle "unlimited".
    const rlim_t granted_hard = std::min(hard, ours.rlim_max);
    const rlim_t soft = std::min(wanted_soft, granted_hard);
    if (granted_hard != hard) {
      plan.warnings.push_back(spec.name + " hard limit " + show(hard) + " is above this scheduler's hard limit " +
                              show(ours.rlim_max) + "; using soft " + show(soft) + ", hard " + show(granted_hard));
    } else if (soft != wanted_soft) {
      plan.warnings.push_back(spec.name + " soft limit " + show(wanted_soft) + " is above the hard limit " +
                              show(hard) + "; using " + show(soft));
    }
    hard = granted_hard;
    plan.limits.push_back({*resource, soft, hard});
  }
  return plan;
}

}  // namespace ternmq::scheduler::local
