// Tokenizer for the vernemq.conf (cuttlefish) file syntax: `key = value` lines, `#` comments,
// blank lines. It knows nothing about which keys exist or what values mean; `broker_config.cpp`
// gives the entries their meaning. Pure: text in, entries or one error out. Thread-safe (no state).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"

namespace ternmq::config {

// Values for `core::error::code` in errors returned by this module.
enum class conf_errc : int {
  cannot_read = 1,    // the file could not be opened or read
  syntax = 2,         // a line is not `key = value`
  invalid_value = 3,  // a key is unknown, a value is malformed, or keys contradict each other
};

// One `key = value` line, trimmed, with its 1-based line number for error messages.
struct conf_entry {
  std::string key;
  std::string value;
  int line = 0;
  bool operator==(const conf_entry&) const = default;
};

struct conf_document {
  // One entry per key, in line order. When a key is repeated the last line wins, as in
  // cuttlefish, and the entry sits at that last line's position.
  std::vector<conf_entry> entries;
  // The earlier lines that a repeated key replaced, in line order. Not an error; kept so a caller
  // can warn about them.
  std::vector<conf_entry> overridden;
};

// Splits `text` into entries. Rules:
//   - Surrounding whitespace (spaces, tabs, a trailing CR) is trimmed from each line.
//   - Blank lines and lines starting with `#` are skipped.
//   - A `#` preceded by a space or tab starts a trailing comment; a `#` inside a word does not,
//     so `distributed_cookie = a#b` keeps the `#`.
//   - The key is everything before the first `=`, made of letters, digits, `_`, `-` and `.`;
//     the value is everything after it and must not be empty.
// On a malformed line the error reads "SOURCE:LINE: syntax error: expected `key = value`" with
// code `conf_errc::syntax`.
core::result<conf_document> parse_conf(std::string_view text, const std::string& source_name);

}  // namespace ternmq::config
