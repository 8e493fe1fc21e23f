#include "broker/auth/acl_file.hpp"

#include "broker/auth/content_lines.hpp"

#include "broker/auth/reloading_file.hpp"
#include "broker/topic/topic.hpp"

namespace ternmq::auth {
namespace {

// Splits `s` at its first run of blanks: {first word, trimmed rest}.
std::pair<std::string_view, std::string_view> first_word(std::string_view s) {
  const std::size_t blank = s.find_first_of(" \t\r");
  if (blank == std::string_view::npos) return {s, {}};
  return {s.substr(0, blank), trim(s.substr(blank))};
}

std::vector<std::string_view> levels_of(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = s.find('/', start);
    if (slash == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, slash - start));
    start = slash + 1;
  }
}

core::error malformed(const std::string& file_name, int line, const std::string& reason) {
  return file_error(file_errc::malformed, file_name + ":" + std::to_string(line) + ": " + reason);
}

// Parses what follows `topic` or `pattern` into a rule, or returns the reason it is wrong.
core::result<acl_file::rule, std::string> parse_rule(std::string_view rest) {
  acl_file::rule out{std::string(rest), true, true};
  const auto [word, after] = first_word(rest);
  if (word == "read" || word == "write" || word == "readwrite") {
    if (after.empty()) return "missing topic filter after '" + std::string(word) + "'";
    out = acl_file::rule{std::string(after), word != "write", word != "read"};
  } else if (word == "deny") {
    return std::string("'deny' rules are not supported; remove the grant instead");
  }
  if (out.filter.empty()) return std::string("missing topic filter");
  if (topic::is_shared(out.filter))
    return std::string("a $share/ filter is not a topic; shared subscriptions are checked against their filter");
  if (!topic::is_valid_filter(out.filter)) return "invalid topic filter \"" + out.filter + "\"";
  return out;
}

// A substituted value must stay one literal level and must not name a `$` tree at the first level.
bool is_safe_level_value(std::string_view value, bool first_level) {
  return !value.empty() && value.find_first_of("/+#") == std::string_view::npos && !(first_level && value.front() == '$');
}

}  // namespace

core::result<acl_file> acl_file::parse(std::string_view text, const std::string& file_name) {
  acl_file out;
  std::vector<rule>* section = &out.anonymous_;
  content_lines lines(text);
  while (lines.next()) {
    const std::string_view line = lines.line();
    const int line_number = lines.number();
    const auto [keyword, rest] = first_word(line);
    if (keyword == "user") {
      if (rest.empty()) return malformed(file_name, line_number, "missing username after 'user'");
      section = &out.users_[std::string(rest)];
    } else if (keyword == "topic" || keyword == "pattern") {
      auto parsed = parse_rule(rest);
      if (!parsed) return malformed(file_name, line_number, parsed.err());
      (keyword == "topic" ? *section : out.patterns_).push_back(std::move(parsed).value());
    } else {
      // The word is not quoted: a password file given here by mistake would put a hash in the log.
      return malformed(file_name, line_number, "unknown keyword (expected topic, user or pattern)");
    }
  }
  return out;
}

core::result<acl_file> acl_file::load(const std::string& path) {
  auto snapshot = read_file(path);
  if (!snapshot) return snapshot.err();
  return parse(snapshot->text, path);
}

const std::vector<acl_file::rule>* acl_file::user_rules(const std::string& username) const {
  const auto it = users_.find(username);
  return it == users_.end() ? nullptr : &it->second;
}

template <class Accept>
bool acl_file::any_rule(const client_view& client, bool want_write, Accept accept) const {
  const auto wanted = [want_write](const rule& r) { return want_write ? r.write : r.read; };
  const std::vector<rule>* own = client.username ? user_rules(*client.username) : &anonymous_;
  if (own != nullptr) {
    for (const rule& r : *own)
      if (wanted(r) && accept(std::string_view(r.filter))) return true;
  }
  for (const rule& r : patterns_) {
    if (!wanted(r)) continue;
    const auto filter = substitute_pattern(r.filter, client);
    if (filter && accept(std::string_view(*filter))) return true;
  }
  return false;
}

bool acl_file::can_publish(const client_view& client, std::string_view topic_name) const {
  if (!topic::is_valid_name(topic_name)) return false;
  return any_rule(client, true, [topic_name](std::string_view f) { return topic::matches(f, topic_name); });
}

bool acl_file::can_subscribe(const client_view& client, std::string_view filter) const {
  std::string inner(filter);
  if (topic::is_shared(filter)) {
    auto shared = topic::parse_shared(filter);
    if (!shared) return false;
    inner = std::move(shared->filter);
  }
  if (!topic::is_valid_filter(inner)) return false;
  return any_rule(client, false, [&inner](std::string_view f) { return filter_covers(f, inner); });
}

bool filter_covers(std::string_view acl, std::string_view subscription) {
  const auto a = levels_of(acl);
  const auto s = levels_of(subscription);
  // A wildcard in the first level of `acl` matches no `$` topic (MQTT-4.7.2-1), so it cannot cover a
  // subscription into a `$` tree.
  if (!s[0].empty() && s[0].front() == '$' && (a[0] == "+" || a[0] == "#")) return false;
  for (std::size_t i = 0;; ++i) {
    if (i == a.size()) return i == s.size();
    if (a[i] == "#") return true;  // also covers the parent level, as `a/#` matches `a`
    if (i == s.size()) return false;
    if (s[i] == "#") return false;
    if (a[i] == "+") continue;
    if (s[i] == "+" || a[i] != s[i]) return false;
  }
}

std::optional<std::string> substitute_pattern(std::string_view pattern, const client_view& client) {
  std::string out;
  out.reserve(pattern.size() + client.client_id.size());
  const auto levels = levels_of(pattern);
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (i > 0) out += '/';
    std::string_view level = levels[i];
    if (level == "%c") {
      level = client.client_id;
    } else if (level == "%u") {
      if (!client.username) return std::nullopt;
      level = *client.username;
    } else {
      out += level;
      continue;
    }
    if (!is_safe_level_value(level, i == 0)) return std::nullopt;
    out += level;
  }
  return out;
}

}  // namespace ternmq::auth
