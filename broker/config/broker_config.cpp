// Maps the entries of a vernemq.conf-style file to `broker_config`. Layout of this file:
// value datatypes (cuttlefish's integer, flag, duration, enum, ip:port), then the listener
// hierarchy, then one table row per scalar key, then the keys VerneMQ users bring that we accept
// without effect, then the cross-key rules and the entry points.
#include "broker/config/broker_config.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <string_view>
#include <system_error>
#include <utility>

#include "broker/config/conf_parser.hpp"

namespace ternmq::config {
namespace {

// Applying a value either succeeds or yields the reason, which the caller prefixes with
// "FILE:LINE: KEY: ".
struct applied {};
using outcome = core::result<applied>;

core::error invalid(std::string reason) {
  return core::error{static_cast<int>(conf_errc::invalid_value), std::move(reason)};
}
std::string quoted(std::string_view v) { return "\"" + std::string(v) + "\""; }

template <class Field, class Parsed>
outcome assign(Field& field, core::result<Parsed> parsed) {
  if (!parsed) return parsed.err();
  field = static_cast<Field>(std::move(*parsed));  // parsers have already checked the range
  return applied{};
}
// For keys accepted for compatibility: the value is checked, then dropped.
template <class Parsed>
outcome discard(const core::result<Parsed>& parsed) {
  if (!parsed) return parsed.err();
  return applied{};
}

// ---- Value datatypes ----

constexpr std::int64_t k_int64_max = std::numeric_limits<std::int64_t>::max();

core::result<std::int64_t> parse_integer(std::string_view v, std::int64_t min, std::int64_t max) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  const bool whole = end == v.data() + v.size();
  if (whole && (ec == std::errc::result_out_of_range || (ec == std::errc{} && (n < min || n > max)))) {
    const std::string range = max == k_int64_max ? "at least " + std::to_string(min)
                                                 : std::to_string(min) + ".." + std::to_string(max);
    return invalid("out of range: expected " + range + ", got " + std::string(v));
  }
  if (ec != std::errc{} || !whole) {
    const char* kind = min == 0 ? "a non-negative integer" : min == 1 ? "a positive integer" : "an integer";
    return invalid(std::string("expected ") + kind + ", got " + quoted(v));
  }
  return n;
}

// cuttlefish's `flag` is on/off; true/false are accepted because people write them.
core::result<bool> parse_flag(std::string_view v) {
  if (v == "on" || v == "true") return true;
  if (v == "off" || v == "false") return false;
  return invalid("expected on or off, got " + quoted(v));
}

template <class T>
core::result<T> parse_choice(std::string_view v, std::initializer_list<std::pair<std::string_view, T>> choices) {
  std::string names;
  for (const auto& [name, value] : choices) {
    if (v == name) return value;
    names += (names.empty() ? "" : ", ") + std::string(name);
  }
  return invalid("expected one of " + names + ", got " + quoted(v));
}

// What a bare number means. VerneMQ's `systree_interval` is in milliseconds, so a value copied
// from a vernemq.conf (20000) must not become 20000 seconds.
enum class bare_number_unit { seconds, milliseconds };

// A duration: digits with an optional unit `ms`, `s`, `m` or `h`. It must come to whole seconds
// because the struct stores seconds; the upper bound keeps later arithmetic in nanoseconds safe.
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
    return invalid(std::string("expected a duration such as ") + example + ", 20s, 5m or 1h, got " + quoted(v));
  }
  if (ec == std::errc::result_out_of_range || n > k_max_s * 1000 / ms_per_unit || n * ms_per_unit / 1000 < min_s) {
    return invalid("out of range: expected " + std::to_string(min_s) + "s.." + std::to_string(k_max_s) + "s, got " +
                   std::string(v));
  }
  if (n * ms_per_unit % 1000 != 0) return invalid("expected whole seconds, got " + quoted(v));
  return std::chrono::seconds{n * ms_per_unit / 1000};
}

// `never`, or a count of h, d, w, m (30 days) or y (365 days). VerneMQ counts m as 28 days and
// y as 336; we use calendar-like lengths because nobody expects a 336-day year.
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
    return invalid("expected never or a count followed by h, d, w, m or y (such as 1w), got " + quoted(v));
  }
  // Capped like MQTT 5's session expiry interval (32-bit seconds, about 136 years).
  constexpr std::int64_t k_max_s = 0xFFFFFFFF;
  auto n = parse_integer(count, 1, k_max_s / unit_s);
  if (!n) return invalid("out of range: expected 1 to 4294967295 seconds in all, got " + quoted(v));
  return std::optional<std::chrono::seconds>{std::chrono::seconds{*n * unit_s}};
}

bool is_ipv4(const std::string& host) {
  in_addr out{};
  return inet_pton(AF_INET, host.c_str(), &out) == 1;
}
bool is_ipv6(const std::string& host) {
  in6_addr out{};
  return inet_pton(AF_INET6, host.c_str(), &out) == 1;
}
// Dotted labels of letters, digits and `-`; anything all digits and dots must be an IPv4 literal.
bool is_host(const std::string& host) {
  if (host.find_first_not_of("0123456789.") == std::string::npos) return is_ipv4(host);
  if (host.empty() || host.front() == '.' || host.back() == '.' || host.find("..") != std::string::npos) return false;
  return host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == std::string::npos;
}

// `ip:port`, with IPv6 in brackets (`[::1]:1883`). The address is stored without brackets.
core::result<tcp_listener> parse_endpoint(std::string_view v) {
  const auto bad = [&] { return invalid("expected IP:PORT such as 127.0.0.1:1883 or [::1]:1883, got " + quoted(v)); };
  tcp_listener l;
  std::string_view port;
  if (!v.empty() && v.front() == '[') {
    const std::size_t close = v.find(']');
    if (close == std::string_view::npos || close + 1 >= v.size() || v[close + 1] != ':') return bad();
    l.address = std::string(v.substr(1, close - 1));
    port = v.substr(close + 2);
    if (!is_ipv6(l.address)) return bad();
  } else {
    const std::size_t colon = v.rfind(':');
    if (colon == std::string_view::npos) return bad();
    l.address = std::string(v.substr(0, colon));
    port = v.substr(colon + 1);
    if (l.address.find(':') != std::string::npos) {
      return invalid("an IPv6 address needs brackets, such as [::1]:1883, got " + quoted(v));
    }
    if (!is_host(l.address)) return bad();
  }
  auto p = parse_integer(port, 0, 65535);  // 0 = an ephemeral port, which tests use
  if (!p) return invalid("expected a port in 0..65535, got " + quoted(v));
  l.port = static_cast<std::uint16_t>(*p);
  return l;
}

// ---- Listeners: listener.SETTING < listener.tcp.SETTING < listener.tcp.NAME.SETTING ----

// One level of the hierarchy; unset fields fall through to the level below.
struct listener_layer {
  std::optional<std::uint32_t> max_connections;
  std::optional<std::vector<int>> allowed_protocol_versions;
  std::optional<std::string> mountpoint;
};

constexpr std::string_view k_listener_settings[] = {
    "max_connections", "allowed_protocol_versions", "mountpoint",
    // Accepted so vernemq.conf files load; no effect yet.
    "proxy_protocol", "proxy_protocol_use_cn_as_username", "nr_of_acceptors"};
bool is_listener_setting(std::string_view s) {
  return std::find(std::begin(k_listener_settings), std::end(k_listener_settings), s) != std::end(k_listener_settings);
}

core::result<std::uint32_t> parse_max_connections(std::string_view v) {
  if (v == "infinity") return 0U;
  auto n = parse_integer(v, 0, std::numeric_limits<std::uint32_t>::max());
  if (!n) return invalid("expected a non-negative integer or infinity, got " + quoted(v));
  return static_cast<std::uint32_t>(*n);
}

// A comma list drawn from 3 (MQTT 3.1), 4 (3.1.1) and 5 (5.0); stored sorted, without repeats.
core::result<std::vector<int>> parse_protocol_versions(std::string_view v) {
  std::vector<int> out;
  for (std::size_t start = 0; start <= v.size();) {
    const std::size_t comma = std::min(v.find(',', start), v.size());
    std::string_view item = v.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item != "3" && item != "4" && item != "5") {
      return invalid("expected a comma-separated list of 3, 4 and 5, got " + quoted(v));
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
  if (v.find_first_of("+#") != std::string_view::npos) return invalid("a mountpoint cannot contain + or #");
  return std::string(v);
}

outcome apply_listener_setting(std::string_view setting, std::string_view v, listener_layer& layer) {
  if (setting == "max_connections") return assign(layer.max_connections, parse_max_connections(v));
  if (setting == "allowed_protocol_versions") return assign(layer.allowed_protocol_versions, parse_protocol_versions(v));
  if (setting == "mountpoint") return assign(layer.mountpoint, parse_mountpoint(v));
  if (setting == "nr_of_acceptors") return discard(parse_integer(v, 1, 65535));
  return discard(parse_flag(v));  // proxy_protocol, proxy_protocol_use_cn_as_username
}

void apply_layer(const listener_layer& layer, tcp_listener& l) {
  if (layer.max_connections) l.max_connections = *layer.max_connections;
  if (layer.allowed_protocol_versions) l.allowed_protocol_versions = *layer.allowed_protocol_versions;
  if (layer.mountpoint) l.mountpoint = *layer.mountpoint;
}

// Everything read from listener.* lines; resolved only after the whole file is read, so the
// order of lines does not matter.
struct listener_section {
  listener_layer all;  // listener.SETTING, for every transport
  listener_layer tcp;  // listener.tcp.SETTING
  std::map<std::string, listener_layer, std::less<>> by_name;  // listener.tcp.NAME.SETTING
  std::vector<std::pair<const conf_entry*, std::string>> named_lines;  // checked against `defined`
  std::vector<std::pair<const conf_entry*, tcp_listener>> defined;  // listener.tcp.NAME = ip:port
};

// Transports whose listeners arrive with later features (TLS, WebSocket, cluster, HTTP admin).
constexpr std::string_view k_later_transports[] = {"ssl.", "ws.", "wss.", "vmq.", "vmqs.", "http.", "https."};

outcome apply_listener_key(const conf_entry& e, listener_section& s) {
  std::string_view rest = std::string_view(e.key).substr(std::string_view("listener.").size());
  if (is_listener_setting(rest)) return apply_listener_setting(rest, e.value, s.all);
  for (std::string_view t : k_later_transports) {
    if (rest.starts_with(t)) return applied{};
  }
  if (!rest.starts_with("tcp.")) return invalid("unknown key");
  rest.remove_prefix(4);
  if (is_listener_setting(rest)) return apply_listener_setting(rest, e.value, s.tcp);
  const std::size_t dot = rest.find('.');
  if (dot == std::string_view::npos) {
    auto l = parse_endpoint(e.value);
    if (!l) return l.err();
    l->name = std::string(rest);
    s.defined.emplace_back(&e, std::move(*l));
    return applied{};
  }
  const std::string_view setting = rest.substr(dot + 1);
  if (!is_listener_setting(setting)) return invalid("unknown key");
  const std::string name(rest.substr(0, dot));
  s.named_lines.emplace_back(&e, name);
  return apply_listener_setting(setting, e.value, s.by_name[name]);
}

// ---- Scalar keys: one row per key ----

struct key_rule {
  std::string_view key;
  outcome (*apply)(std::string_view value, broker_config& c);
};

// Short names keep the table below at one row per key.
using sv = std::string_view;
using bc = broker_config;
constexpr auto bare_s = bare_number_unit::seconds;

outcome apply_allow_multiple_sessions(sv v, bc& c) {
  auto on = parse_flag(v);
  if (on && *on) return invalid("not supported: a client id has at most one session (set it to off)");
  return assign(c.allow_multiple_sessions, std::move(on));
}

outcome apply_nodename(sv v, bc& c) {
  const std::size_t at = v.find('@');
  if (at == 0 || at == sv::npos || at + 1 == v.size()) return invalid("expected NAME@HOST, got " + quoted(v));
  c.nodename = std::string(v);
  return applied{};
}

// Lager's levels, folded onto the five levels of core::log.
outcome apply_log_level(sv v, bc& c) {
  return assign(c.log_console_level,
                parse_choice<sv>(v, {{"debug", "debug"}, {"info", "info"}, {"notice", "info"}, {"warning", "warning"},
                                     {"error", "error"}, {"critical", "error"}, {"alert", "error"},
                                     {"emergency", "error"}, {"none", "none"}}));
}

constexpr key_rule k_scalar_rules[] = {
    {"allow_anonymous", [](sv v, bc& c) { return assign(c.allow_anonymous, parse_flag(v)); }},
    {"max_client_id_size", [](sv v, bc& c) { return assign(c.max_client_id_size, parse_integer(v, 1, 65535)); }},
    {"max_inflight_messages",
     [](sv v, bc& c) { return assign(c.max_inflight_messages, parse_integer(v, 0, 0xFFFFFFFF)); }},
    {"max_online_messages", [](sv v, bc& c) { return assign(c.max_online_messages, parse_integer(v, -1, k_int64_max)); }},
    {"max_offline_messages",
     [](sv v, bc& c) { return assign(c.max_offline_messages, parse_integer(v, -1, k_int64_max)); }},
    {"max_message_size", [](sv v, bc& c) { return assign(c.max_message_size, parse_integer(v, 0, 0xFFFFFFFF)); }},
    {"retry_interval", [](sv v, bc& c) { return assign(c.retry_interval, parse_duration(v, bare_s, 1)); }},
    {"persistent_client_expiration",
     [](sv v, bc& c) { return assign(c.persistent_client_expiration, parse_expiration(v)); }},
    {"queue_type", [](sv v, bc& c) {
       return assign(c.queue, parse_choice<queue_type>(v, {{"fifo", queue_type::fifo}, {"lifo", queue_type::lifo}}));
     }},
    {"max_message_rate", [](sv v, bc& c) { return assign(c.max_message_rate, parse_integer(v, 0, 0xFFFFFFFF)); }},
    {"shared_subscription_policy", [](sv v, bc& c) {
       using p = shared_subscription_policy;
       return assign(c.shared_policy, parse_choice<p>(v, {{"prefer_local", p::prefer_local}, {"random", p::random},
                                                          {"local_only", p::local_only}}));
     }},
    {"upgrade_outgoing_qos", [](sv v, bc& c) { return assign(c.upgrade_outgoing_qos, parse_flag(v)); }},
    {"allow_multiple_sessions", apply_allow_multiple_sessions},
    {"max_drain_time", [](sv v, bc& c) { return assign(c.max_drain_time, parse_duration(v, bare_s, 0)); }},
    {"max_msgs_per_drain_step",
     [](sv v, bc& c) { return assign(c.max_msgs_per_drain_step, parse_integer(v, 1, 0xFFFFFFFF)); }},
    {"max_keep_alive", [](sv v, bc& c) { return assign(c.max_keep_alive, parse_integer(v, 0, 65535)); }},
    {"receive_max_broker", [](sv v, bc& c) { return assign(c.receive_max_broker, parse_integer(v, 1, 65535)); }},
    {"topic_alias_max_broker", [](sv v, bc& c) { return assign(c.topic_alias_max_broker, parse_integer(v, 0, 65535)); }},
    {"topic_alias_max_client", [](sv v, bc& c) { return assign(c.topic_alias_max_client, parse_integer(v, 0, 65535)); }},
    {"max_session_expiry_interval",
     [](sv v, bc& c) { return assign(c.max_session_expiry_interval, parse_integer(v, 0, 0xFFFFFFFF)); }},
    {"log.console", [](sv v, bc& c) {
       return assign(c.log_console, parse_choice<sv>(v, {{"off", "off"}, {"file", "file"}, {"console", "console"},
                                                         {"both", "both"}}));
     }},
    {"log.console.level", apply_log_level},
    {"log.console.file", [](sv v, bc& c) { return assign(c.log_console_file, core::result<sv>(v)); }},
    {"nodename", apply_nodename},
    {"distributed_cookie", [](sv v, bc& c) { return assign(c.distributed_cookie, core::result<sv>(v)); }},
    {"systree_enabled", [](sv v, bc& c) { return assign(c.systree_enabled, parse_flag(v)); }},
    {"systree_interval",
     [](sv v, bc& c) { return assign(c.systree_interval, parse_duration(v, bare_number_unit::milliseconds, 0)); }},
    {"metadata_plugin", [](sv v, bc& c) {
       return assign(c.metadata_plugin, parse_choice<sv>(v, {{"vmq_swc", "vmq_swc"}, {"vmq_plumtree", "vmq_plumtree"}}));
     }},
    {"persistent_store_dir", [](sv v, bc& c) { return assign(c.persistent_store_dir, core::result<sv>(v)); }},
    {"leveldb.maximum_memory.percent",
     [](sv v, bc& c) { return assign(c.leveldb_maximum_memory_percent, parse_integer(v, 1, 100)); }},

    // VerneMQ keys accepted without effect: they belong to clustering and multi-session
    // features that do not exist yet. Values are still checked so typos surface now.
    {"allow_register_during_netsplit", [](sv v, bc&) { return discard(parse_flag(v)); }},
    {"allow_publish_during_netsplit", [](sv v, bc&) { return discard(parse_flag(v)); }},
    {"allow_subscribe_during_netsplit", [](sv v, bc&) { return discard(parse_flag(v)); }},
    {"allow_unsubscribe_during_netsplit", [](sv v, bc&) { return discard(parse_flag(v)); }},
    {"coordinate_registrations", [](sv v, bc&) { return discard(parse_flag(v)); }},
    {"suppress_lwt_on_session_takeover", [](sv v, bc&) { return discard(parse_flag(v)); }},
    {"log.syslog", [](sv v, bc&) { return discard(parse_flag(v)); }},
    {"queue_deliver_mode", [](sv v, bc&) { return discard(parse_choice<int>(v, {{"fanout", 0}, {"balance", 1}})); }},
    {"outgoing_clustering_buffer_size", [](sv v, bc&) { return discard(parse_integer(v, 0, k_int64_max)); }},
    {"remote_enqueue_timeout", [](sv v, bc&) { return discard(parse_integer(v, 0, k_int64_max)); }},
    {"receive_max_client", [](sv v, bc&) { return discard(parse_integer(v, 1, 65535)); }},
    {"max_last_will_delay", [](sv, bc&) { return outcome(applied{}); }},
    {"default_reg_view", [](sv, bc&) { return outcome(applied{}); }},
    {"reg_views", [](sv, bc&) { return outcome(applied{}); }},
    {"accept_eula", [](sv, bc&) { return outcome(applied{}); }},
};

// Key families accepted with any value and no effect (plugins, TLS/WebSocket listeners handled
// above, Erlang VM and LevelDB tuning, Graphite, log files other than the console).
constexpr std::string_view k_ignored_prefixes[] = {
    "plugins.",    "vmq_acl.",      "vmq_passwd.",     "vmq_diversity.",         "vmq_webhooks.", "vmq_bridge.",
    "log.error",   "log.crash",     "erlang.",         "leveldb.",               "message_store.", "graphite_",
    "vmq_generic_msg_store."};

outcome apply_entry(const conf_entry& e, broker_config& c, listener_section& listeners) {
  if (e.key.starts_with("listener.")) return apply_listener_key(e, listeners);
  for (const key_rule& rule : k_scalar_rules) {
    if (e.key == rule.key) return rule.apply(e.value, c);
  }
  for (std::string_view prefix : k_ignored_prefixes) {
    if (e.key.starts_with(prefix)) return applied{};
  }
  return invalid("unknown key");
}

// ---- Cross-key rules and entry points ----

core::error entry_error(const std::string& source, const conf_entry& e, const std::string& reason) {
  return invalid(source + ":" + std::to_string(e.line) + ": " + e.key + ": " + reason);
}

core::result<std::vector<tcp_listener>> resolve_listeners(const listener_section& s, const std::string& source) {
  const auto defined = [&](std::string_view name) {
    return std::any_of(s.defined.begin(), s.defined.end(), [&](const auto& d) { return d.second.name == name; });
  };
  for (const auto& [entry, name] : s.named_lines) {
    if (!defined(name)) return entry_error(source, *entry, "no listener named " + name);
  }
  std::vector<tcp_listener> out;
  for (const auto& [entry, base] : s.defined) {
    for (const tcp_listener& earlier : out) {
      if (base.port != 0 && earlier.port == base.port && earlier.address == base.address) {
        return entry_error(source, *entry, "address already used by listener.tcp." + earlier.name);
      }
    }
    tcp_listener l = base;
    apply_layer(s.all, l);
    apply_layer(s.tcp, l);
    if (auto it = s.by_name.find(l.name); it != s.by_name.end()) apply_layer(it->second, l);
    out.push_back(std::move(l));
  }
  if (out.empty()) return invalid(source + ": no listener: add listener.tcp.default = 127.0.0.1:1883");
  return out;
}

core::result<std::string> read_file(const std::string& path) {
  const auto cannot_read = [&](int err) {
    return core::error{static_cast<int>(conf_errc::cannot_read),
                       path + ": cannot read: " + std::generic_category().message(err)};
  };
  struct closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, closer> f(std::fopen(path.c_str(), "rb"));
  if (!f) return cannot_read(errno);
  std::string text;
  char buf[8192];
  while (const std::size_t n = std::fread(buf, 1, sizeof buf, f.get())) text.append(buf, n);
  if (std::ferror(f.get())) return cannot_read(errno);
  return text;
}

}  // namespace

core::result<broker_config> parse_broker_config(const std::string& text, const std::string& source_name) {
  auto doc = parse_conf(text, source_name);
  if (!doc) return doc.err();
  broker_config c;
  c.source_file = source_name;
  listener_section listeners;
  const conf_entry* log_console = nullptr;
  for (const conf_entry& e : doc->entries) {
    if (outcome r = apply_entry(e, c, listeners); !r) return entry_error(source_name, e, r.err().message);
    if (e.key == "log.console") log_console = &e;
  }
  auto tcp = resolve_listeners(listeners, source_name);
  if (!tcp) return tcp.err();
  c.tcp_listeners = std::move(*tcp);
  // Rule: logging to a file needs a file name; we have no packaging-specific default path.
  if (log_console && (c.log_console == "file" || c.log_console == "both") && c.log_console_file.empty()) {
    return entry_error(source_name, *log_console, "writing to a file needs log.console.file to be set");
  }
  return c;
}

core::result<broker_config> load_broker_config(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.err();
  return parse_broker_config(*text, path);
}

}  // namespace ternmq::config
