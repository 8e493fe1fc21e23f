// Process limits of a task (svc.yml `rlimits`), resolved against what this scheduler may grant.
// An unprivileged process cannot raise a hard limit above its own, so a request above our hard
// limit is clamped to it with a warning instead of failing the launch: the broker asks for a
// large RLIMIT_NOFILE and must still start on a machine with a lower ceiling. Resolution happens
// in the scheduler before fork; the child only calls setrlimit with the resolved values.
#pragma once

#include <sys/resource.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "scheduler/model/pod_spec.hpp"

namespace ternmq::scheduler::local {

struct resolved_rlimit {
  int resource = 0;  // RLIMIT_*
  rlim_t soft = 0;
  rlim_t hard = 0;
};

struct rlimit_plan {
  std::vector<resolved_rlimit> limits;
  std::vector<std::string> warnings;  // one per clamped value, for the log and the RUNNING status
};

// "RLIMIT_NOFILE" -> RLIMIT_NOFILE; nullopt for a name Linux does not know.
std::optional<int> rlimit_resource(std::string_view name);

// Unset `hard` means unlimited (or, when only `soft` is set, our own hard limit); unset `soft`
// means the hard value. Values above our hard limit become our hard limit; a soft value above
// the hard one becomes the hard one. Errors: an unknown name or a negative value.
core::result<rlimit_plan> resolve_rlimits(const std::vector<model::rlimit_spec>& specs);

}  // namespace ternmq::scheduler::local
