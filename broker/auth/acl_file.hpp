// The ACL file (`vmq_acl.acl_file`), in the syntax VerneMQ and mosquitto share:
//
//   # comment
//   topic [read|write] <filter>      before any `user` line: for clients without a username
//   user <username>                  starts the section for that username (not client id)
//   topic [read|write] <filter>      inside a section: for that username
//   pattern [read|write] <filter>    anywhere: for every client, after substituting `%c` (client id)
//                                    and `%u` (username) where one is a whole topic level
//
// Without `read` or `write` a line grants both. Parsed once into an immutable table;
// `reloading_file<acl_file>` swaps in a new one when the file changes.
//
// Thread safety: immutable after `parse`; `can_publish` and `can_subscribe` may run on any number of
// threads at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/result.hpp"

namespace ternmq::auth {

// What an authorizer may know about a client: a read-only view, never the session.
struct client_view {
  std::string client_id;
  std::optional<std::string> username;  // nullopt for a client that sent no username
};

class acl_file {
 public:
  // Parses the file's text. Rules:
  //   - Lines are separated by LF; surrounding spaces, tabs and a trailing CR are ignored, so are
  //     blank lines (VerneMQ's parser accepts them too, whatever its documentation says) and lines
  //     whose first non-blank character is `#`.
  //   - The keyword (`topic`, `user`, `pattern`) is separated from the rest by spaces or tabs. After
  //     `topic` or `pattern` an optional access word (`read`, `write`, or mosquitto's `readwrite`)
  //     comes first; the rest of the line is the filter, spaces inside it included.
  //   - The filter must be a valid MQTT topic filter and must not start with `$share/`.
  //   - `topic read` with nothing after it is an error, not a grant on a topic named "read".
  //   - mosquitto's `deny` access word is an error: read as a filter it would grant access where the
  //     author meant to take it away.
  //   - A `user` line may name a user twice; the sections are merged.
  // The first problem is returned as "FILE:LINE: reason" with code `file_errc::malformed`.
  static core::result<acl_file> parse(std::string_view text, const std::string& file_name);

  // Reads and parses `path`; a read error has code `file_errc::unreadable`.
  static core::result<acl_file> load(const std::string& path);

  // True when a `write` (or both) rule for this client matches the topic name. False for a name that
  // is not a valid topic name.
  bool can_publish(const client_view& client, std::string_view topic) const;

  // True when some `read` (or both) rule for this client covers the filter: every topic the filter
  // can match is matched by that rule. So `a/#` allows subscribing to `a/b/+` and to `a`, but `a/+`
  // does not allow `a/#`, and `#` does not allow `$SYS/#`. `$share/<group>/<filter>` is checked on
  // `<filter>`. False for an invalid filter.
  bool can_subscribe(const client_view& client, std::string_view filter) const;

  // A rule as parsed, kept public for the tests and for an admin listing.
  struct rule {
    std::string filter;
    bool read = false;
    bool write = false;
    bool operator==(const rule&) const = default;
  };

  const std::vector<rule>& anonymous_rules() const { return anonymous_; }
  const std::vector<rule>* user_rules(const std::string& username) const;
  const std::vector<rule>& pattern_rules() const { return patterns_; }

 private:
  // Calls `accept(filter)` for each rule with the wanted access that applies to `client` (patterns
  // after substitution) until it returns true.
  template <class Accept>
  bool any_rule(const client_view& client, bool want_write, Accept accept) const;

  std::vector<rule> anonymous_;
  std::unordered_map<std::string, std::vector<rule>> users_;
  std::vector<rule> patterns_;
};

// True when every topic name matched by `subscription` is also matched by `acl`. Both must be valid
// filters. Exposed for its tests.
bool filter_covers(std::string_view acl, std::string_view subscription);

// `pattern` with each level that is exactly `%c` or `%u` replaced by the client id or username.
// nullopt when the pattern needs a value the client lacks or whose value would not be one literal
// level: no username for `%u`, or a value that is empty or holds `/`, `+` or `#` (a client id `+`
// would otherwise turn `devices/%c/#` into `devices/+/#`, and a username `alice/x` would reach into
// another user's tree). Exposed for its tests.
std::optional<std::string> substitute_pattern(std::string_view pattern, const client_view& client);

}  // namespace ternmq::auth
