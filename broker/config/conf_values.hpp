// The value datatypes of `ternmq.conf`: cuttlefish's integer, flag, enum, duration and ip:port, plus
// the listener value types (connection limit, protocol versions, mountpoint, TLS version, file path).
// Each parser takes one trimmed, non-empty value and returns it or a `conf_errc::invalid_value` error
// whose message is the reason alone; `broker_config.cpp` prefixes it with "FILE:LINE: KEY: ".
// Internal to the config module. Pure and thread-safe (no state).
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/result.hpp"

namespace ternmq::config {

// An error of code `conf_errc::invalid_value` carrying `reason`.
core::error invalid_value(std::string reason);

// `v` in double quotes, as error messages show values.
std::string quoted(std::string_view v);

// Decimal digits with an optional `-`, within [min, max].
core::result<std::int64_t> parse_integer(std::string_view v, std::int64_t min, std::int64_t max);

// cuttlefish's `flag`: on/off; true/false are accepted because people write them.
core::result<bool> parse_flag(std::string_view v);

// One of the names in `choices`, mapped to its value.
template <class T>
core::result<T> parse_choice(std::string_view v, std::initializer_list<std::pair<std::string_view, T>> choices) {
  std::string names;
  for (const auto& [name, value] : choices) {
    if (v == name) return value;
    names += (names.empty() ? "" : ", ") + std::string(name);
  }
  return invalid_value("expected one of " + names + ", got " + quoted(v));
}

// What a bare number means. VerneMQ's `systree_interval` is in milliseconds, so a value copied
// from a vernemq.conf (20000) must not become 20000 seconds.
enum class bare_number_unit { seconds, milliseconds };

// Digits with an optional unit `ms`, `s`, `m` or `h`, coming to whole seconds in
// [min_s, 2^32-1].
core::result<std::chrono::seconds> parse_duration(std::string_view v, bare_number_unit bare, std::int64_t min_s);

// `never` (nullopt), or a count of h, d, w, m (30 days) or y (365 days).
core::result<std::optional<std::chrono::seconds>> parse_expiration(std::string_view v);

// `IP:PORT` with an IPv4 literal or a bracketed IPv6 literal (`[::1]:1883`); port 0..65535.
struct endpoint {
  std::string address;  // without brackets
  std::uint16_t port = 0;
};
core::result<endpoint> parse_endpoint(std::string_view v);

// A non-negative integer, or `infinity` (returned as 0 = no limit).
core::result<std::uint32_t> parse_max_connections(std::string_view v);

// A comma list drawn from 3, 4 and 5; returned sorted, without repeats.
core::result<std::vector<int>> parse_protocol_versions(std::string_view v);

// A topic prefix without `+` or `#`; `off` is returned as the empty string (no mountpoint).
core::result<std::string> parse_mountpoint(std::string_view v);

// A path, taken as written. Only its form is checked (a quoted empty string is refused); whether
// the file exists is for the code that opens it to say, naming the file.
core::result<std::string> parse_file_path(std::string_view v);

// `tlsv1.2` or `tlsv1.3`; VerneMQ's `tlsv1` and `tlsv1.1` are refused with their own message.
core::result<std::string> parse_tls_version(std::string_view v);

// An OpenSSL cipher list such as `ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384`.
core::result<std::string> parse_ciphers(std::string_view v);

}  // namespace ternmq::config
