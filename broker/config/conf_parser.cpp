#include "broker/config/conf_parser.hpp"

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace ternmq::config {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Cuts a trailing comment: a `#` only starts one after whitespace, so values such as passwords
// or cookies may contain `#`. The caller has already skipped whole-line comments.
std::string_view strip_trailing_comment(std::string_view line) {
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '#' && is_blank(line[i - 1])) return line.substr(0, i);
  }
  return line;
}

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

// Dot-separated words: no empty segment, so `a..b`, `.a` and `a.` are rejected here rather than
// surfacing later as confusing "unknown key" errors.
bool is_valid_key(std::string_view key) {
  if (key.empty() || key.front() == '.' || key.back() == '.') return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (!is_key_char(key[i])) return false;
    if (key[i] == '.' && i + 1 < key.size() && key[i + 1] == '.') return false;
  }
  return true;
}

core::error syntax_error(const std::string& source_name, int line) {
  return core::error{static_cast<int>(conf_errc::syntax),
                     source_name + ":" + std::to_string(line) + ": syntax error: expected `key = value`"};
}

}  // namespace

core::result<conf_document> parse_conf(std::string_view text, const std::string& source_name) {
  std::vector<conf_entry> all;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = std::min(text.find('\n', pos), text.size());
    std::string_view line = trim(text.substr(pos, nl - pos));
    pos = nl + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;

    line = trim(strip_trailing_comment(line));
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) return syntax_error(source_name, line_no);
    const std::string_view key = trim(line.substr(0, eq));
    const std::string_view value = trim(line.substr(eq + 1));
    if (!is_valid_key(key) || value.empty()) return syntax_error(source_name, line_no);
    all.push_back(conf_entry{std::string(key), std::string(value), line_no});
  }

  // Last one wins: find where each key was last seen, then split the lines into kept and replaced.
  std::vector<bool> is_last(all.size(), false);
  {
    std::unordered_map<std::string_view, std::size_t> last_index;
    for (std::size_t i = 0; i < all.size(); ++i) last_index[all[i].key] = i;
    for (const auto& seen : last_index) is_last[seen.second] = true;
  }
  conf_document doc;
  for (std::size_t i = 0; i < all.size(); ++i) {
    (is_last[i] ? doc.entries : doc.overridden).push_back(std::move(all[i]));
  }
  return doc;
}

}  // namespace ternmq::config
