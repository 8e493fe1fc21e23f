// Error codes of the cosmos module, for `core::error::code`: which step of turning a package and an
// options file into the scheduler's environment failed. Messages are for people.
#pragma once

#include <string>
#include <utility>

#include "core/base/result.hpp"

namespace ternmq::scheduler::cosmos {

enum class cosmos_errc : int {
  package_file = 1,     // a package file is missing, unreadable or not JSON
  invalid_options = 2,  // the options do not validate against config.json (one line per problem)
  template_error = 3,   // marathon.json.mustache does not parse, or names a missing option under strict rendering
  invalid_app = 4,      // the rendered Marathon app is not JSON, or its `env` is unusable
};

inline core::error make_error(cosmos_errc code, std::string message) {
  return core::error{static_cast<int>(code), std::move(message)};
}

}  // namespace ternmq::scheduler::cosmos
