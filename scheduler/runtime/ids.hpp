// Random identifiers: version-4 UUIDs for configuration ids, volume reservations and task ids
// ("node-0-broker__<uuid>", one per launch, as the SDK names them).
#pragma once

#include <string>

namespace ternmq::scheduler::runtime {

std::string new_uuid();

}  // namespace ternmq::scheduler::runtime
