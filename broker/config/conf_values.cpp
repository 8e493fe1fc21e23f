#include "broker/config/conf_values.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <system_error>

#include "broker/config/conf_parser.hpp"

namespace ternmq::config {
namespace {

constexpr std::int64_t k_int64_max = std::numeric_limits<std::int64_t>::max();

bool is_ipv4(const std::string& host) {
  in_addr out{};
  return inet_pton(AF_INET, host.c_str(), &out) == 1;
}
bool is_ipv6(const std::string& host) {
  in6_addr out{};
  return inet_pton(AF_INET6, host.c_str(), &out) == 1;
}

// Dotted labels of letters, digits and `-`, with at least one letter: what a host name looks like.
bool looks_like_host_name(const std::string& host) {
  if (host.find_first_not_of("0123456789.") == std::string::npos) return false;
  if (host.empty() || host.front() == '.' || host.back() == '.' || host.find("..") != std::string::npos) return false;
  return host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == std::string::npos;
}

// A value written as an empty quoted string: cuttlefish takes quotes literally, so `""` would be a
// file named `""`; people who write it mean "nothing", which a setting with a path cannot be.
bool is_quoted_empty(std::string_view v) { return v == "\"\"" || v == "''"; }

}  // namespace

core::error invalid_value(std::string reason) {
  return core::error{static_cast<int>(conf_errc::invalid_value), std::move(reason)};
}

std::string quoted(std::string_view v) { return "\"" + std::string(v) + "\""; }

core::result<std::int64_t> parse_integer(std::string_view v, std::int64_t min, std::int64_t max) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  const bool whole = end == v.data() + v.size();
  if (whole && (ec == std::errc::result_out_of_range || (ec == std::errc{} && (n < min || n > max)))) {
    const std::string range = max == k_int64_max ? "at least " + std::to_string(min)
                                                 : std::to_string(min) + ".." + std::to_string(max);
    return invalid_value("out of range: expected " + range + ", got " + std::string(v));
  }
  if (ec != std::errc{} || !whole) {
    const char* kind = min == 0 ? "a non-negative integer" : min == 1 ? "a positive integer" : "an integer";
    return invalid_value(std::string("expected ") + kind + ", got " + quoted(v));
  }
  return n;
}

core::result<bool> parse_flag(std::string_view v) {
  if (v == "on" || v == "true") return true;
  if (v == "off" || v == "false") return false;
  return invalid_value("expected on or off, got " + quoted(v));
}

// The upper bound keeps later arithmetic in nanoseconds safe.
core::result<std::chrono::seconds> parse_duration(std::string_view v, bare_number_unit bare, std::int64_t min_s) {
  constexpr std::int64_t k_max_s = 0xFFFFFFFF;
  const std::size_t digits = std::min(v.find_first_not_of("0123456789"), v.size());
  const std::string_view unit = v.substr(digits);
  std::int64_t ms_per_unit = 0;
  if (unit.empty()) ms_per_unit = bare == bare_number_unit::seconds ? 1000 : 1;
  if (unit == "ms") ms_per_unit = 1;
  if (unit == "s") ms_per_unit = 1000;
  if (unit == "m") ms_per_unit = 60 * 1000;
  if (unit == "h") ms_per_unit = 3600 * 1000;
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + digits, n);
  if (digits == 0 || ms_per_unit == 0 || end != v.data() + digits) {
    const char* example = bare == bare_number_unit::seconds ? "20 (seconds)" : "20000 (milliseconds)";
    return invalid_value(std::string("expected a duration such as ") + example + ", 20s, 5m or 1h, got " + quoted(v));
  }
  if (ec == std::errc::result_out_of_range || n > k_max_s * 1000 / ms_per_unit || n * ms_per_unit / 1000 < min_s) {
    return invalid_value("out of range: expected " + std::to_string(min_s) + "s.." + std::to_string(k_max_s) +
                         "s, got " + std::string(v));
  }
  if (n * ms_per_unit % 1000 != 0) return invalid_value("expected whole seconds, got " + quoted(v));
  return std::chrono::seconds{n * ms_per_unit / 1000};
}

// VerneMQ counts m as 28 days and y as 336; we use calendar-like lengths because nobody expects a
// 336-day year.
core::result<std::optional<std::chrono::seconds>> parse_expiration(std::string_view v) {
  if (v == "never") return std::optional<std::chrono::seconds>{};
  std::int64_t unit_s = 0;
  switch (v.empty() ? '\0' : v.back()) {
    case 'h': unit_s = 3600; break;
    case 'd': unit_s = 86400; break;
    case 'w': unit_s = 7 * 86400; break;
    case 'm': unit_s = 30 * 86400; break;
    case 'y': unit_s = 365 * 86400; break;
    default: break;
  }
  const std::string_view count = v.substr(0, v.empty() ? 0 : v.size() - 1);
  if (unit_s == 0 || count.empty() || count.find_first_not_of("0123456789") != std::string_view::npos) {
    return invalid_value("expected never or a count followed by h, d, w, m or y (such as 1w), got " + quoted(v));
  }
  // Capped like MQTT 5's session expiry interval (32-bit seconds, about 136 years).
  constexpr std::int64_t k_max_s = 0xFFFFFFFF;
  auto n = parse_integer(count, 1, k_max_s / unit_s);
  if (!n) return invalid_value("out of range: expected 1 to 4294967295 seconds in all, got " + quoted(v));
  return std::optional<std::chrono::seconds>{std::chrono::seconds{*n * unit_s}};
}

// Host names are refused: the listener binds the address as written, and a name that resolves to
// several addresses (localhost: 127.0.0.1 and ::1) would make "which one" a guess.
core::result<endpoint> parse_endpoint(std::string_view v) {
  const auto bad = [&] {
    return invalid_value("expected IP:PORT such as 127.0.0.1:1883 or [::1]:1883, got " + quoted(v));
  };
  endpoint out;
  std::string_view port;
  if (!v.empty() && v.front() == '[') {
    const std::size_t close = v.find(']');
    if (close == std::string_view::npos || close + 1 >= v.size() || v[close + 1] != ':') return bad();
    out.address = std::string(v.substr(1, close - 1));
    port = v.substr(close + 2);
    if (!is_ipv6(out.address)) return bad();
  } else {
    const std::size_t colon = v.rfind(':');
    if (colon == std::string_view::npos) return bad();
    out.address = std::string(v.substr(0, colon));
    port = v.substr(colon + 1);
    if (out.address.find(':') != std::string::npos) {
      return invalid_value("an IPv6 address needs brackets, such as [::1]:1883, got " + quoted(v));
    }
    if (looks_like_host_name(out.address)) {
      return invalid_value("expected an IP address, not a host name, such as 127.0.0.1:1883 or [::1]:1883, got " +
                           quoted(v));
    }
    if (!is_ipv4(out.address)) return bad();
  }
  auto p = parse_integer(port, 0, 65535);  // 0 = an ephemeral port, which tests use
  if (!p) return invalid_value("expected a port in 0..65535, got " + quoted(v));
  out.port = static_cast<std::uint16_t>(*p);
  return out;
}

core::result<std::uint32_t> parse_max_connections(std::string_view v) {
  if (v == "infinity") return 0U;
  auto n = parse_integer(v, 0, std::numeric_limits<std::uint32_t>::max());
  if (!n) return invalid_value("expected a non-negative integer or infinity, got " + quoted(v));
  return static_cast<std::uint32_t>(*n);
}

core::result<std::vector<int>> parse_protocol_versions(std::string_view v) {
  std::vector<int> out;
  for (std::size_t start = 0; start <= v.size();) {
    const std::size_t comma = std::min(v.find(',', start), v.size());
    std::string_view item = v.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item != "3" && item != "4" && item != "5") {
      return invalid_value("expected a comma-separated list of 3, 4 and 5, got " + quoted(v));
    }
    out.push_back(item[0] - '0');
    start = comma + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// `off` means no mountpoint, as in VerneMQ. Wildcards would make the prefix a filter.
core::result<std::string> parse_mountpoint(std::string_view v) {
  if (v == "off") return std::string{};
  if (v.find_first_of("+#") != std::string_view::npos) return invalid_value("a mountpoint cannot contain + or #");
  return std::string(v);
}

core::result<std::string> parse_file_path(std::string_view v) {
  if (v.empty() || is_quoted_empty(v)) return invalid_value("expected a file path, got an empty value");
  return std::string(v);
}

core::result<std::string> parse_tls_version(std::string_view v) {
  if (v == "tlsv1" || v == "tlsv1.1") return invalid_value("TLS 1.2 is the lowest version supported");
  auto version = parse_choice<std::string_view>(v, {{"tlsv1.2", "tlsv1.2"}, {"tlsv1.3", "tlsv1.3"}});
  if (!version) return version.err();
  return std::string(*version);
}

core::result<std::string> parse_ciphers(std::string_view v) {
  if (v.empty() || is_quoted_empty(v)) {
    return invalid_value("expected an OpenSSL cipher list such as ECDHE-RSA-AES256-GCM-SHA384, got an empty value");
  }
  return std::string(v);
}

}  // namespace ternmq::config
