// Topic names and topic filters (MQTT 3.1.1 section 4.7, 5.0 section 4.7): validation,
// matching, and the `$share/<group>/<filter>` form of shared subscriptions. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ternmq::topic {

// A topic name a client may publish to: non-empty, no `+` or `#`.
bool is_valid_name(std::string_view name);

// A filter a client may subscribe to: non-empty; `+` and `#` occupy whole levels; `#` only last.
bool is_valid_filter(std::string_view filter);

// True when `filter` matches `name`, with the rule that wildcards at the first level do not
// match names starting with `$` (MQTT-4.7.2-1).
bool matches(std::string_view filter, std::string_view name);

struct shared_filter {
  std::string group;
  std::string filter;
};

// True when `filter` starts with `$share/`.
bool is_shared(std::string_view filter);

// Splits `$share/<group>/<filter>`; nullopt when the group is empty or holds a wildcard, or the
// filter part is missing or invalid.
std::optional<shared_filter> parse_shared(std::string_view filter);

}  // namespace ternmq::topic
