// Error codes of the offer module, for `core::error::code`. Errors here are problems of the spec
// (a placement string that does not parse, ports that cannot coexist), found before any offer is
// looked at; an offer that does not fit is an outcome, not an error (see offer_evaluator.hpp).
#pragma once

#include <string>
#include <utility>

#include "core/base/result.hpp"

namespace ternmq::scheduler::offers {

enum class offer_errc : int {
  invalid_placement = 1,  // svc.yml `placement:` is not a list of Marathon constraints
  invalid_ports = 2,      // the pod's ports cannot all be assigned (same fixed number twice, same name twice)
};

inline core::error make_error(offer_errc code, std::string message) {
  return core::error{static_cast<int>(code), std::move(message)};
}

}  // namespace ternmq::scheduler::offers
