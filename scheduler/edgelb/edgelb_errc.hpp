// Error codes of the edgelb module, for `core::error::code`. Messages are for people; these tell
// callers which stage failed: the pool template, the rendered pool, or the HAProxy configuration.
#pragma once

#include <string>
#include <utility>

#include "core/base/result.hpp"

namespace ternmq::scheduler::edgelb {

enum class edgelb_errc : int {
  template_error = 1,    // pool.json.mustache is malformed or names a variable the context lacks
  json_syntax = 2,       // the rendered pool is not JSON
  invalid_pool = 3,      // the JSON is not a pool this module can run (one line per problem)
  invalid_settings = 4,  // the local settings do not fit the pool (unknown frontend, port clash, bad address)
};

inline core::error make_error(edgelb_errc code, std::string message) {
  return core::error{static_cast<int>(code), std::move(message)};
}

}  // namespace ternmq::scheduler::edgelb
