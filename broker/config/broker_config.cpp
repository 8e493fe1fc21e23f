// Maps the entries of a vernemq.conf-style file to `broker_config`. Layout of this file: the
// listener hierarchy (one table row per listener setting, three levels per transport, resolved
// once the whole file is read), then one table row per scalar key (authentication keys included),
// then the keys VerneMQ users bring that we accept without effect, then the cross-key rules and
// the entry points. The value datatypes are in `conf_values.*`.
#include "broker/config/broker_config.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "broker/config/conf_parser.hpp"
#include "broker/config/conf_values.hpp"

namespace ternmq::config {

const char* to_string(transport_kind kind) {
  switch (kind) {
    case transport_kind::tcp: return "tcp";
    case transport_kind::ssl: return "ssl";
    case transport_kind::ws: return "ws";
    case transport_kind::wss: return "wss";
  }
  return "?";
}

namespace {

// Applying a value either succeeds or yields the reason, which the caller prefixes with
// "FILE:LINE: KEY: ".
struct applied {};
using outcome = core::result<applied>;

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

constexpr std::int64_t k_int64_max = std::numeric_limits<std::int64_t>::max();

// Short names keep the tables below at one row per key.
using sv = std::string_view;
using bc = broker_config;
constexpr auto bare_s = bare_number_unit::seconds;

// ---- Listeners: listener.SETTING < listener.<transport>.SETTING < listener.<transport>.NAME.SETTING ----

constexpr transport_kind k_transports[] = {transport_kind::tcp, transport_kind::ssl, transport_kind::ws,
                                           transport_kind::wss};
// Position of `kind` in `k_transports` (the enumerators are declared in the same order).
std::size_t index_of(transport_kind kind) { return static_cast<std::size_t>(kind); }
bool is_tls(transport_kind kind) { return kind == transport_kind::ssl || kind == transport_kind::wss; }

// One level of the hierarchy; unset fields fall through to the level below.
struct listener_layer {
  std::optional<std::uint32_t> max_connections;
  std::optional<std::vector<int>> allowed_protocol_versions;
  std::optional<std::string> mountpoint;
  std::optional<bool> proxy_protocol;
  std::optional<bool> proxy_protocol_use_cn_as_username;
  std::optional<std::string> cafile;
  std::optional<std::string> certfile;
  std::optional<std::string> keyfile;
  std::optional<std::string> ciphers;
  std::optional<std::string> crlfile;
  std::optional<std::string> tls_version;
  std::optional<bool> require_certificate;
  std::optional<bool> use_identity_as_username;
};

// The listeners a setting means something on.
enum class setting_scope {
  every,  // all transports
  plain,  // tcp and ws: as in VerneMQ, only these read a PROXY protocol header
  tls,    // ssl and wss
};

struct listener_setting {
  std::string_view name;
  setting_scope scope;
  outcome (*apply)(std::string_view value, listener_layer& layer);
};

using layer = listener_layer;

constexpr listener_setting k_listener_settings[] = {
    {"max_connections", setting_scope::every,
     [](sv v, layer& l) { return assign(l.max_connections, parse_max_connections(v)); }},
    {"allowed_protocol_versions", setting_scope::every,
     [](sv v, layer& l) { return assign(l.allowed_protocol_versions, parse_protocol_versions(v)); }},
    {"mountpoint", setting_scope::every, [](sv v, layer& l) { return assign(l.mountpoint, parse_mountpoint(v)); }},
    // An Erlang acceptor-pool size: checked, but it has no meaning for Asio.
    {"nr_of_acceptors", setting_scope::every, [](sv v, layer&) { return discard(parse_integer(v, 1, 65535)); }},
    {"proxy_protocol", setting_scope::plain, [](sv v, layer& l) { return assign(l.proxy_protocol, parse_flag(v)); }},
    {"proxy_protocol_use_cn_as_username", setting_scope::plain,
     [](sv v, layer& l) { return assign(l.proxy_protocol_use_cn_as_username, parse_flag(v)); }},
    {"cafile", setting_scope::tls, [](sv v, layer& l) { return assign(l.cafile, parse_file_path(v)); }},
    {"certfile", setting_scope::tls, [](sv v, layer& l) { return assign(l.certfile, parse_file_path(v)); }},
    {"keyfile", setting_scope::tls, [](sv v, layer& l) { return assign(l.keyfile, parse_file_path(v)); }},
    {"ciphers", setting_scope::tls, [](sv v, layer& l) { return assign(l.ciphers, parse_ciphers(v)); }},
    {"crlfile", setting_scope::tls, [](sv v, layer& l) { return assign(l.crlfile, parse_file_path(v)); }},
    {"tls_version", setting_scope::tls, [](sv v, layer& l) { return assign(l.tls_version, parse_tls_version(v)); }},
    {"require_certificate", setting_scope::tls,
     [](sv v, layer& l) { return assign(l.require_certificate, parse_flag(v)); }},
    {"use_identity_as_username", setting_scope::tls,
     [](sv v, layer& l) { return assign(l.use_identity_as_username, parse_flag(v)); }},
};

const listener_setting* find_setting(std::string_view name) {
  for (const listener_setting& s : k_listener_settings) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string proxy_on_tls_reason(std::string_view setting, transport_kind kind) {
  const std::string transport = to_string(kind);
  if (setting == "proxy_protocol_use_cn_as_username") {
    return "proxy_protocol_use_cn_as_username is not supported on " + transport +
           " listeners; use_identity_as_username takes the CN from the client certificate";
  }
  return "proxy_protocol is not supported on " + transport + " listeners; terminate TLS at the proxy or use " +
         (kind == transport_kind::ssl ? "tcp" : "ws");
}

// Rule: a setting written for one transport (listener.<transport>.X or listener.<transport>.NAME.X)
// must mean something on that transport.
outcome setting_fits_transport(const listener_setting& s, transport_kind kind) {
  if (s.scope == setting_scope::tls && !is_tls(kind)) return invalid_value("tls setting on a non-TLS listener");
  if (s.scope == setting_scope::plain && is_tls(kind)) return invalid_value(proxy_on_tls_reason(s.name, kind));
  return applied{};
}

template <class T>
void set_if(T& field, const std::optional<T>& value) {
  if (value) field = *value;
}

// Copies the fields `from` sets onto `l`. A layer may hold settings for other transports (the
// listener.X level holds proxy settings, which TLS listeners do not take), so each group is
// applied only where it belongs.
void apply_layer(const listener_layer& from, listener_config& l) {
  set_if(l.max_connections, from.max_connections);
  set_if(l.allowed_protocol_versions, from.allowed_protocol_versions);
  set_if(l.mountpoint, from.mountpoint);
  if (!is_tls(l.kind)) {
    set_if(l.proxy_protocol, from.proxy_protocol);
    set_if(l.proxy_protocol_use_cn_as_username, from.proxy_protocol_use_cn_as_username);
    return;
  }
  set_if(l.tls.cafile, from.cafile);
  set_if(l.tls.certfile, from.certfile);
  set_if(l.tls.keyfile, from.keyfile);
  set_if(l.tls.ciphers, from.ciphers);
  set_if(l.tls.crlfile, from.crlfile);
  set_if(l.tls.tls_version, from.tls_version);
  set_if(l.tls.require_certificate, from.require_certificate);
  set_if(l.tls.use_identity_as_username, from.use_identity_as_username);
}

struct transport_section {
  listener_layer common;                                       // listener.<transport>.SETTING
  std::map<std::string, listener_layer, std::less<>> by_name;  // listener.<transport>.NAME.SETTING
};

// A listener.<transport>.NAME.SETTING line, checked against the defined listeners at the end.
struct named_line {
  const conf_entry* entry;
  transport_kind kind;
  std::string name;
};

// A listener.<transport>.NAME = ip:port line.
struct defined_listener {
  const conf_entry* entry;
  listener_config base;
};

// Everything read from listener.* lines; resolved only after the whole file is read, so the
// order of lines does not matter.
struct listener_section {
  listener_layer all;                               // listener.SETTING, for every transport
  const conf_entry* all_proxy_protocol = nullptr;   // the listener.proxy_protocol line, if any
  std::array<transport_section, std::size(k_transports)> transports;  // by index_of(kind)
  std::vector<named_line> named_lines;
  std::vector<defined_listener> defined;
  std::vector<cluster_listener_config> cluster;     // listener.vmq.NAME = ip:port
};

// Listener families of later features (TLS cluster links, VerneMQ's HTTP listener): accepted,
// ignored. Their settings, and the settings of `listener.vmq.NAME.*`, are ignored too.
constexpr std::string_view k_later_transports[] = {"vmqs.", "http.", "https."};

// listener.vmq.NAME = ip:port defines a cluster listener; listener.vmq.NAME.SETTING and
// listener.vmq.SETTING (VerneMQ's acceptor tuning) are accepted without effect.
outcome apply_cluster_listener_key(const conf_entry& e, std::string_view rest, listener_section& s) {
  if (rest.empty() || rest.find('.') != std::string_view::npos) return applied{};
  auto at = parse_endpoint(e.value);
  if (!at) return at.err();
  s.cluster.push_back(cluster_listener_config{std::string(rest), std::move(at->address), at->port});
  return applied{};
}

// VerneMQ listener settings with no TernMQ equivalent (certificate chain depth, elliptic curves,
// Erlang socket buffers). Named so they are refused clearly rather than read as a listener name.
constexpr std::string_view k_unsupported_vernemq_settings[] = {"depth", "eccs", "buffer_sizes"};

outcome refuse_if_unsupported(std::string_view setting) {
  for (std::string_view s : k_unsupported_vernemq_settings) {
    if (s == setting) return invalid_value("not supported: TernMQ has no equivalent of VerneMQ's " + std::string(s));
  }
  return applied{};
}

// Strips a leading "tcp.", "ssl.", "ws." or "wss." from `rest` and returns its transport.
std::optional<transport_kind> take_transport(std::string_view& rest) {
  for (transport_kind kind : k_transports) {
    const std::string prefix = std::string(to_string(kind)) + ".";
    if (rest.starts_with(prefix)) {
      rest.remove_prefix(prefix.size());
      return kind;
    }
  }
  return std::nullopt;
}

// listener.SETTING. VerneMQ has no TLS settings at this level (a certificate is chosen per
// transport or per listener), and neither do we.
outcome apply_setting_for_all(const conf_entry& e, const listener_setting& setting, listener_section& s) {
  if (setting.scope == setting_scope::tls) {
    const std::string name(setting.name);
    return invalid_value("tls settings are set per transport, such as listener.ssl." + name + " or listener.wss." + name);
  }
  if (setting.name == "proxy_protocol") s.all_proxy_protocol = &e;
  return setting.apply(e.value, s.all);
}

outcome apply_listener_key(const conf_entry& e, listener_section& s) {
  std::string_view rest = std::string_view(e.key).substr(std::string_view("listener.").size());
  if (const listener_setting* setting = find_setting(rest)) return apply_setting_for_all(e, *setting, s);
  if (rest.starts_with("vmq.")) return apply_cluster_listener_key(e, rest.substr(4), s);
  for (std::string_view t : k_later_transports) {
    if (rest.starts_with(t)) return applied{};
  }
  const std::optional<transport_kind> kind = take_transport(rest);
  if (!kind) return invalid_value("unknown key");
  transport_section& section = s.transports[index_of(*kind)];
  if (const listener_setting* setting = find_setting(rest)) {
    if (outcome fits = setting_fits_transport(*setting, *kind); !fits) return fits;
    return setting->apply(e.value, section.common);
  }
  if (outcome supported = refuse_if_unsupported(rest); !supported) return supported;
  const std::size_t dot = rest.find('.');
  if (dot == std::string_view::npos) {
    auto at = parse_endpoint(e.value);
    if (!at) return at.err();
    listener_config l;
    l.kind = *kind;
    l.name = std::string(rest);
    l.address = std::move(at->address);
    l.port = at->port;
    s.defined.push_back({&e, std::move(l)});
    return applied{};
  }
  if (outcome supported = refuse_if_unsupported(rest.substr(dot + 1)); !supported) return supported;
  const listener_setting* setting = find_setting(rest.substr(dot + 1));
  if (!setting) return invalid_value("unknown key");
  if (outcome fits = setting_fits_transport(*setting, *kind); !fits) return fits;
  std::string name(rest.substr(0, dot));
  s.named_lines.push_back({&e, *kind, name});
  return setting->apply(e.value, section.by_name[name]);
}

// ---- Scalar keys: one row per key ----

struct key_rule {
  std::string_view key;
  outcome (*apply)(std::string_view value, broker_config& c);
};

outcome apply_allow_multiple_sessions(sv v, bc& c) {
  auto on = parse_flag(v);
  if (on && *on) return invalid_value("not supported: a client id has at most one session (set it to off)");
  return assign(c.allow_multiple_sessions, std::move(on));
}

outcome apply_nodename(sv v, bc& c) {
  const std::size_t at = v.find('@');
  if (at == 0 || at == sv::npos || at + 1 == v.size()) return invalid_value("expected NAME@HOST, got " + quoted(v));
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

    // Authentication and authorization: VerneMQ's vmq_passwd and vmq_acl plugins and their files.
    {"plugins.vmq_passwd", [](sv v, bc& c) { return assign(c.plugin_vmq_passwd, parse_flag(v)); }},
    {"plugins.vmq_acl", [](sv v, bc& c) { return assign(c.plugin_vmq_acl, parse_flag(v)); }},
    {"vmq_passwd.password_file", [](sv v, bc& c) { return assign(c.password_file, parse_file_path(v)); }},
    {"vmq_passwd.password_reload_interval",
     [](sv v, bc& c) { return assign(c.password_reload_interval, parse_duration(v, bare_s, 0)); }},
    {"vmq_acl.acl_file", [](sv v, bc& c) { return assign(c.acl_file, parse_file_path(v)); }},
    {"vmq_acl.acl_reload_interval",
     [](sv v, bc& c) { return assign(c.acl_reload_interval, parse_duration(v, bare_s, 0)); }},
    {"acl.subscribe_failure_reason", [](sv v, bc& c) {
       return assign(c.subscribe_failure_unspecified,
                     parse_choice<bool>(v, {{"not_authorized", false}, {"unspecified", true}}));
     }},

    // Clustering: stored now, used by cluster routing (docs/clustering.md).
    {"allow_register_during_netsplit",
     [](sv v, bc& c) { return assign(c.allow_register_during_netsplit, parse_flag(v)); }},
    {"allow_publish_during_netsplit",
     [](sv v, bc& c) { return assign(c.allow_publish_during_netsplit, parse_flag(v)); }},
    {"allow_subscribe_during_netsplit",
     [](sv v, bc& c) { return assign(c.allow_subscribe_during_netsplit, parse_flag(v)); }},
    {"allow_unsubscribe_during_netsplit",
     [](sv v, bc& c) { return assign(c.allow_unsubscribe_during_netsplit, parse_flag(v)); }},
    {"outgoing_clustering_buffer_size",
     [](sv v, bc& c) { return assign(c.outgoing_clustering_buffer_size, parse_integer(v, 0, k_int64_max)); }},

    // VerneMQ keys accepted without effect: they belong to multi-session and other features
    // that do not exist yet. Values are still checked so typos surface now.
    {"coordinate_registrations", [](sv v, bc&) { return discard(parse_flag(v)); }},
    {"suppress_lwt_on_session_takeover", [](sv v, bc&) { return discard(parse_flag(v)); }},
    {"log.syslog", [](sv v, bc&) { return discard(parse_flag(v)); }},
    {"queue_deliver_mode", [](sv v, bc&) { return discard(parse_choice<int>(v, {{"fanout", 0}, {"balance", 1}})); }},
    {"remote_enqueue_timeout", [](sv v, bc&) { return discard(parse_integer(v, 0, k_int64_max)); }},
    {"receive_max_client", [](sv v, bc&) { return discard(parse_integer(v, 1, 65535)); }},
    {"max_last_will_delay", [](sv, bc&) { return outcome(applied{}); }},
    {"default_reg_view", [](sv, bc&) { return outcome(applied{}); }},
    {"reg_views", [](sv, bc&) { return outcome(applied{}); }},
    {"accept_eula", [](sv, bc&) { return outcome(applied{}); }},
};

// Key families accepted with any value and no effect (plugins other than vmq_passwd and vmq_acl,
// Erlang VM and LevelDB tuning, Graphite, log files other than the console).
constexpr std::string_view k_ignored_prefixes[] = {
    "plugins.",  "vmq_diversity.", "vmq_webhooks.", "vmq_bridge.",     "log.error",
    "log.crash", "erlang.",        "leveldb.",      "message_store.", "graphite_",
    "vmq_generic_msg_store."};

outcome apply_entry(const conf_entry& e, broker_config& c, listener_section& listeners) {
  if (e.key.starts_with("listener.")) return apply_listener_key(e, listeners);
  for (const key_rule& rule : k_scalar_rules) {
    if (e.key == rule.key) return rule.apply(e.value, c);
  }
  for (std::string_view prefix : k_ignored_prefixes) {
    if (e.key.starts_with(prefix)) return applied{};
  }
  return invalid_value("unknown key");
}

// ---- Cross-key rules and entry points ----

core::error entry_error(const std::string& source, const conf_entry& e, const std::string& reason) {
  return invalid_value(source + ":" + std::to_string(e.line) + ": " + e.key + ": " + reason);
}

// Each rule below looks at one resolved TLS listener and returns the reason it is wrong, or
// nothing. `key` is the listener's own key (listener.ssl.NAME), used in the hints.

std::optional<std::string> tls_listener_needs_certfile_and_keyfile(const listener_config& l, const std::string& key) {
  const char* missing = l.tls.certfile.empty() ? "certfile" : l.tls.keyfile.empty() ? "keyfile" : nullptr;
  if (missing == nullptr) return std::nullopt;
  const std::string transport = to_string(l.kind);
  const std::string article = l.kind == transport_kind::ssl ? "an " : "a ";
  return article + transport + " listener needs " + missing + ": set listener." + transport + "." + missing + " or " +
         key + "." + missing;
}

std::optional<std::string> require_certificate_needs_cafile(const listener_config& l, const std::string& key) {
  if (!l.tls.require_certificate || !l.tls.cafile.empty()) return std::nullopt;
  return "require_certificate needs cafile, the CA that signs client certificates: set listener." +
         std::string(to_string(l.kind)) + ".cafile or " + key + ".cafile";
}

std::optional<std::string> identity_as_username_needs_require_certificate(const listener_config& l,
                                                                          const std::string&) {
  if (!l.tls.use_identity_as_username || l.tls.require_certificate) return std::nullopt;
  return std::string("use_identity_as_username needs require_certificate = on, or clients may have no certificate");
}

constexpr std::optional<std::string> (*k_tls_listener_rules[])(const listener_config&, const std::string&) = {
    tls_listener_needs_certfile_and_keyfile, require_certificate_needs_cafile,
    identity_as_username_needs_require_certificate};

// Rule: listener.proxy_protocol = on would reach TLS listeners too, which never read a PROXY
// header; rather than skip them silently, ask for the setting per transport.
std::optional<std::string> proxy_protocol_for_all_cannot_reach_tls(const listener_section& s, const listener_config& l) {
  if (!is_tls(l.kind) || !s.all.proxy_protocol.value_or(false)) return std::nullopt;
  return proxy_on_tls_reason("proxy_protocol", l.kind) + " (listener." + to_string(l.kind) + "." + l.name +
         " would inherit this line: set listener.tcp.proxy_protocol or listener.ws.proxy_protocol instead)";
}

core::result<std::vector<listener_config>> resolve_listeners(const listener_section& s, const std::string& source) {
  const auto defined = [&](transport_kind kind, std::string_view name) {
    return std::any_of(s.defined.begin(), s.defined.end(),
                       [&](const defined_listener& d) { return d.base.kind == kind && d.base.name == name; });
  };
  for (const named_line& n : s.named_lines) {
    if (!defined(n.kind, n.name)) {
      return entry_error(source, *n.entry, "no " + std::string(to_string(n.kind)) + " listener named " + n.name);
    }
  }
  std::vector<listener_config> out;
  for (const auto& [entry, base] : s.defined) {
    for (const listener_config& earlier : out) {
      if (base.port != 0 && earlier.port == base.port && earlier.address == base.address) {
        return entry_error(source, *entry,
                           "address already used by listener." + std::string(to_string(earlier.kind)) + "." + earlier.name);
      }
    }
    listener_config l = base;
    const transport_section& t = s.transports[index_of(l.kind)];
    apply_layer(s.all, l);
    apply_layer(t.common, l);
    if (auto it = t.by_name.find(l.name); it != t.by_name.end()) apply_layer(it->second, l);
    if (auto reason = proxy_protocol_for_all_cannot_reach_tls(s, l)) return entry_error(source, *s.all_proxy_protocol, *reason);
    if (is_tls(l.kind)) {
      for (auto rule : k_tls_listener_rules) {
        if (auto reason = rule(l, entry->key)) return entry_error(source, *entry, *reason);
      }
    }
    out.push_back(std::move(l));
  }
  if (out.empty()) return invalid_value(source + ": no listener: add listener.tcp.default = 127.0.0.1:1883");
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
  auto resolved = resolve_listeners(listeners, source_name);
  if (!resolved) return resolved.err();
  c.listeners = std::move(*resolved);
  c.cluster_listeners = std::move(listeners.cluster);
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
