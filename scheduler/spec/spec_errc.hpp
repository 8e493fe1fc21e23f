// Error codes of the spec module, for `core::error::code`. Messages are for people; these tell
// callers which stage failed.
#pragma once

#include <string>
#include <utility>

#include "core/base/result.hpp"

namespace ternmq::scheduler::spec {

enum class spec_errc : int {
  template_syntax = 1,   // a Mustache template is malformed (unclosed section, unknown tag type...)
  missing_variable = 2,  // strict rendering met a variable the environment does not set
  yaml_syntax = 3,       // the rendered text is not YAML
  invalid_spec = 4,      // the YAML is not a valid service spec (one line per problem)
};

inline core::error make_error(spec_errc code, std::string message) {
  return core::error{static_cast<int>(code), std::move(message)};
}

}  // namespace ternmq::scheduler::spec
