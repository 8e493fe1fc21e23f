#include "scheduler/spec/yaml_fields.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace ternmq::scheduler::spec::detail {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Levenshtein distance, for "did you mean" suggestions on short keys.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string unknown_key_reason(std::string_view key, const std::initializer_list<std::string_view>& known) {
  std::string_view best;
  std::size_t best_distance = 3;  // suggest only within two edits
  for (const auto k : known) {
    const std::size_t d = edit_distance(lower(key), k);
    if (d < best_distance) {
      best = k;
      best_distance = d;
    }
  }
  if (best.empty()) return "unknown key";
  return "unknown key (did you mean \"" + std::string(best) + "\"?)";
}

std::string location(const YAML::Mark& mark) {
  if (mark.is_null()) return "";
  return " (line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) + ")";
}

// The scalar text of `n`, or an error "expected WHAT, got ...".
std::optional<std::string> scalar(const YAML::Node& n, std::string_view path, yaml_errors& errors,
                                  const YAML::Mark& where, std::string_view what) {
  if (n.IsScalar()) return n.Scalar();
  errors.add(path, "expected " + std::string(what) + ", got " + describe(n), where);
  return std::nullopt;
}

std::string range_text(std::int64_t min, std::int64_t max) {
  if (max == std::numeric_limits<std::int64_t>::max()) return "of at least " + std::to_string(min);
  return "from " + std::to_string(min) + " to " + std::to_string(max);
}

}  // namespace

std::string child_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

std::string index_path(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

void yaml_errors::add(std::string_view path, std::string_view reason, const YAML::Mark& mark) {
  list_.push_back(std::string(path) + ": " + std::string(reason) + location(mark));
}

YAML::Mark mark_of(const YAML::Node& value, const YAML::Mark& fallback) {
  if (!value.IsDefined() || value.IsNull() || value.Mark().is_null()) return fallback;
  return value.Mark();
}

namespace {
YAML::Mark key_mark_from(const YAML::Node& node, const std::vector<std::string>& keys, std::size_t i,
                         const YAML::Mark& found) {
  if (i == keys.size() || !node.IsMap()) return found;
  for (const auto& kv : node) {
    if (kv.first.IsScalar() && kv.first.Scalar() == keys[i]) {
      return key_mark_from(kv.second, keys, i + 1, kv.first.Mark());
    }
  }
  return found;
}
}  // namespace

YAML::Mark key_mark(const YAML::Node& root, const std::vector<std::string>& keys) {
  return key_mark_from(root, keys, 0, mark_of(root));
}

std::string describe(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "null";
  if (n.IsMap()) return "a map";
  if (n.IsSequence()) return "a list";
  std::string text = n.Scalar();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return "\"" + text + "\"";
}

std::optional<std::string> read_string(const YAML::Node& n, std::string_view path, yaml_errors& errors,
                                       const YAML::Mark& where) {
  return scalar(n, path, errors, where, "a string");
}

std::optional<std::int64_t> read_integer(const YAML::Node& n, std::string_view path, yaml_errors& errors,
                                         const YAML::Mark& where, std::int64_t min, std::int64_t max) {
  const std::string what = "an integer " + range_text(min, max);
  const auto text = scalar(n, path, errors, where, what);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  const char* first = text->data();
  const char* last = first + text->size();
  if (first != last && *first == '+') ++first;
  const auto [end, ec] = std::from_chars(first, last, value);
  if (first == last || end != last || ec == std::errc::invalid_argument) {
    errors.add(path, "expected " + what + ", got " + describe(n), where);
    return std::nullopt;
  }
  if (ec == std::errc::result_out_of_range || value < min || value > max) {
    errors.add(path, "expected " + what + ", got " + *text, where);
    return std::nullopt;
  }
  return value;
}

std::optional<double> read_number(const YAML::Node& n, std::string_view path, yaml_errors& errors,
                                  const YAML::Mark& where, double min, bool min_exclusive) {
  const auto text = scalar(n, path, errors, where, "a number");
  if (!text) return std::nullopt;
  double value = 0;
  const char* first = text->data();
  const char* last = first + text->size();
  if (first != last && *first == '+') ++first;
  const auto [end, ec] = std::from_chars(first, last, value);
  if (first == last || end != last || ec != std::errc{} || !std::isfinite(value)) {
    errors.add(path, "expected a number, got " + describe(n), where);
    return std::nullopt;
  }
  if (value < min || (min_exclusive && value == min)) {
    std::string bound = min_exclusive ? "greater than " : "of at least ";
    auto m = std::to_string(min);
    m.erase(m.find_last_not_of('0') + 1);
    if (!m.empty() && m.back() == '.') m.pop_back();
    errors.add(path, "expected a number " + bound + m + ", got " + *text, where);
    return std::nullopt;
  }
  return value;
}

std::optional<bool> read_bool(const YAML::Node& n, std::string_view path, yaml_errors& errors,
                              const YAML::Mark& where) {
  const auto text = scalar(n, path, errors, where, "true or false");
  if (!text) return std::nullopt;
  const std::string v = lower(*text);
  if (v == "true" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "no" || v == "off") return false;
  errors.add(path, "expected true or false, got " + describe(n), where);
  return std::nullopt;
}

yaml_map::yaml_map(const YAML::Node& node, std::string path, yaml_errors& errors,
                   std::initializer_list<std::string_view> known, const YAML::Mark& fallback)
    : path_(std::move(path)), errors_(errors) {
  read(node, &known, fallback);
}

yaml_map::yaml_map(const YAML::Node& node, std::string path, yaml_errors& errors)
    : path_(std::move(path)), errors_(errors) {
  read(node, nullptr, YAML::Mark::null_mark());
}

void yaml_map::read(const YAML::Node& node, const std::initializer_list<std::string_view>* known,
                    const YAML::Mark& fallback) {
  mark_ = mark_of(node, fallback);
  if (!node.IsMap()) {
    errors_.add(path_, "expected a map, got " + describe(node), mark_);
    return;
  }
  is_map_ = true;
  for (const auto& kv : node) {
    const YAML::Node key = kv.first;
    if (!key.IsScalar()) {
      errors_.add(path_, "expected a name as key, got " + describe(key), mark_of(key, mark_));
      continue;
    }
    const std::string name = key.Scalar();
    const auto same = std::find_if(entries_.begin(), entries_.end(), [&](const entry& e) { return e.key == name; });
    if (same != entries_.end()) {
      const YAML::Mark first = same->key_node.Mark();
      std::string reason = "duplicate key";
      if (!first.is_null()) {
        reason += " (first at line " + std::to_string(first.line + 1) + ", column " + std::to_string(first.column + 1) + ")";
      }
      errors_.add(child_path(path_, name), reason, key.Mark());
      continue;
    }
    if (known && std::find(known->begin(), known->end(), name) == known->end()) {
      errors_.add(child_path(path_, name), unknown_key_reason(name, *known), key.Mark());
      continue;
    }
    entries_.push_back(entry{name, key, kv.second});
  }
}

const yaml_map::entry* yaml_map::find(std::string_view key) const {
  const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const entry& e) { return e.key == key; });
  if (it == entries_.end() || it->value.IsNull()) return nullptr;
  return &*it;
}

bool yaml_map::require(std::string_view key) const {
  if (has(key)) return true;
  if (is_map_) errors_.add(path_, "missing required key \"" + std::string(key) + "\"", mark_);
  return false;
}

void yaml_map::error(std::string_view key, std::string_view reason) const {
  const entry* e = find(key);
  errors_.add(path(key), reason, e ? mark_of(e->value, e->key_node.Mark()) : mark_);
}

std::optional<std::string> yaml_map::string(std::string_view key) const {
  const entry* e = find(key);
  if (!e) return std::nullopt;
  return read_string(e->value, path(key), errors_, mark_of(e->value, e->key_node.Mark()));
}

std::optional<std::int64_t> yaml_map::integer(std::string_view key, std::int64_t min, std::int64_t max) const {
  const entry* e = find(key);
  if (!e) return std::nullopt;
  return read_integer(e->value, path(key), errors_, mark_of(e->value, e->key_node.Mark()), min, max);
}

std::optional<double> yaml_map::number(std::string_view key, double min, bool min_exclusive) const {
  const entry* e = find(key);
  if (!e) return std::nullopt;
  return read_number(e->value, path(key), errors_, mark_of(e->value, e->key_node.Mark()), min, min_exclusive);
}

std::optional<bool> yaml_map::boolean(std::string_view key) const {
  const entry* e = find(key);
  if (!e) return std::nullopt;
  return read_bool(e->value, path(key), errors_, mark_of(e->value, e->key_node.Mark()));
}

std::vector<std::string> yaml_map::strings(std::string_view key) const {
  std::vector<std::string> out;
  const entry* e = find(key);
  if (!e) return out;
  if (!e->value.IsSequence()) {
    errors_.add(path(key), "expected a list, got " + describe(e->value), mark_of(e->value, e->key_node.Mark()));
    return out;
  }
  for (std::size_t i = 0; i < e->value.size(); ++i) {
    const YAML::Node item = e->value[i];
    if (auto s = read_string(item, index_path(path(key), i), errors_, mark_of(item, e->key_node.Mark()))) {
      out.push_back(std::move(*s));
    }
  }
  return out;
}

}  // namespace ternmq::scheduler::spec::detail
