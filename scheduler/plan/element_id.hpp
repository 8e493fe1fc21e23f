// Ids for phases and steps: UUID-shaped (the SDK's ids are UUIDs, and clients such as the CLI pass
// them back in `?phase=` and `?step=`), but derived from the element's path instead of drawn at
// random, so an element keeps its id when the scheduler restarts and rebuilds its plans.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace ternmq::scheduler::plans {

// A lower-case 8-4-4-4-12 hex id for `path` (e.g. "deploy/broker/broker-0:[node]"): two 64-bit
// FNV-1a hashes of the path, stamped with RFC 9562 version 8 ("custom") and the RFC 4122 variant.
// Equal paths give equal ids. Not a secret and not collision-proof against chosen input; plans
// are built from our own spec.
std::string element_id(std::string_view path);

}  // namespace ternmq::scheduler::plans
