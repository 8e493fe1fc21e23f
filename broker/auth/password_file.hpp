// The password file (`vmq_passwd.password_file`): one `username:hash` line per user, in the format
// written by ternmq-passwd, vmq-passwd and Debian's mosquitto_passwd (see password_hash.hpp for the
// hash schemes). Parsed once into an immutable table; `reloading_file<password_file>` swaps in a new
// table when the file changes.
//
// Thread safety: a `password_file` is immutable after `parse`, so any number of threads may call
// `verify` at once.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "broker/auth/password_hash.hpp"
#include "core/base/result.hpp"

namespace ternmq::auth {

class password_file {
 public:
  // Parses the file's text. Rules:
  //   - Lines are separated by LF; a trailing CR and surrounding spaces and tabs are ignored.
  //   - Blank lines and lines whose first non-blank character is `#` are skipped.
  //   - Other lines are `username:hash`, split at the first `:` (so a username has no `:`); the
  //     username is trimmed and must not be empty; the hash must parse (`parse_password_hash`).
  //   - A username may appear only once.
  // The first problem is returned as "FILE:LINE: reason" with code `file_errc::malformed`. The
  // message never quotes the line: it may hold a hash or, by mistake, a plain-text password, and a
  // username may itself be sensitive.
  static core::result<password_file> parse(std::string_view text, const std::string& file_name);

  // Reads and parses `path`; a read error has code `file_errc::unreadable`.
  static core::result<password_file> load(const std::string& path);

  // True when `username` is in the file and `password` matches its hash. For an unknown username the
  // same kind of hash is computed anyway, so a failed login does not reveal through its timing
  // whether the username exists.
  bool verify(std::string_view username, std::string_view password) const;

  bool contains(std::string_view username) const { return entries_.contains(std::string(username)); }
  std::size_t size() const { return entries_.size(); }

 private:
  std::unordered_map<std::string, password_hash> entries_;
  password_hash decoy_;  // same scheme and cost as the first entry, with a hash no password gives
};

}  // namespace ternmq::auth
