#include "scheduler/spec/mustache.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "scheduler/spec/spec_errc.hpp"

namespace ternmq::scheduler::spec {
namespace {

using node = detail::mustache_node;

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; }

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string location(std::size_t line, std::size_t column) {
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Turns byte offsets into 1-based line and column numbers.
class line_index {
 public:
  explicit line_index(std::string_view text) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }
  std::pair<std::size_t, std::size_t> locate(std::size_t offset) const {
    const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    const auto line = static_cast<std::size_t>(it - starts_.begin());
    return {line, offset - starts_[line - 1] + 1};
  }

 private:
  std::vector<std::size_t> starts_;
};

// The kinds of tag; `sigil` is the character after `{{` that selects it.
enum class tag_kind { variable, raw_variable, section, inverted_section, close, comment };

struct tag {
  tag_kind kind = tag_kind::variable;
  std::string_view name;
  std::size_t begin = 0;  // offset of `{{`
  std::size_t end = 0;    // offset just past the closing braces
};

bool can_stand_alone(tag_kind kind) {
  return kind == tag_kind::section || kind == tag_kind::inverted_section || kind == tag_kind::close ||
         kind == tag_kind::comment;
}

class parser {
 public:
  explicit parser(std::string_view text) : text_(text), lines_(text) {}

  core::result<std::vector<node>> run() {
    std::size_t pos = 0;
    while (pos < text_.size()) {
      const std::size_t open = text_.find("{{", pos);
      if (open == std::string_view::npos) {
        add_text(text_.substr(pos));
        break;
      }
      auto t = read_tag(open);
      if (!t) return t.err();
      pos = place(*t, pos);
      if (auto s = apply(*t); !s) return s.err();
    }
    if (!open_.empty()) {
      const node& s = open_.back();
      return fail(s.line, s.column, "section " + quoted(s.value) + " is never closed");
    }
    return std::move(root_);
  }

 private:
  core::error fail(std::size_t line, std::size_t column, const std::string& reason) const {
    return make_error(spec_errc::template_syntax, location(line, column) + ": " + reason);
  }
  core::error fail_at(std::size_t offset, const std::string& reason) const {
    const auto [line, column] = lines_.locate(offset);
    return fail(line, column, reason);
  }

  core::result<tag> read_tag(std::size_t open) const {
    tag t;
    t.begin = open;
    std::size_t body = open + 2;
    std::string_view closer = "}}";
    const char sigil = body < text_.size() ? text_[body] : '\0';
    switch (sigil) {
      case '{': t.kind = tag_kind::raw_variable; closer = "}}}"; ++body; break;
      case '&': t.kind = tag_kind::raw_variable; ++body; break;
      case '#': t.kind = tag_kind::section; ++body; break;
      case '^': t.kind = tag_kind::inverted_section; ++body; break;
      case '/': t.kind = tag_kind::close; ++body; break;
      case '!': t.kind = tag_kind::comment; ++body; break;
      case '>': return fail_at(open, "unsupported tag type '>': partials are not supported");
      case '=': return fail_at(open, "unsupported tag type '=': delimiter changes are not supported");
      case '<':
      case '$': return fail_at(open, std::string("unsupported tag type '") + sigil + "': template inheritance is not supported");
      case '%': return fail_at(open, "unsupported tag type '%': pragmas are not supported");
      default: break;
    }
    const std::size_t close = text_.find(closer, body);
    if (close == std::string_view::npos) {
      return fail_at(open, "unclosed tag: no " + quoted(closer) + " after " + quoted(text_.substr(open, body - open)));
    }
    t.end = close + closer.size();
    if (t.kind == tag_kind::comment) return t;
    t.name = trim(text_.substr(body, close - body));
    if (t.name.empty()) return fail_at(open, "empty tag name");
    if (t.name.find_first_of(" \t\r\n{}") != std::string_view::npos) {
      return fail_at(open, "invalid tag name " + quoted(t.name));
    }
    return t;
  }

  // Emits the text before `t` (from `pos`) and returns where the text after it starts. A standalone
  // tag takes its line's leading whitespace and trailing whitespace and newline with it.
  std::size_t place(const tag& t, std::size_t pos) {
    if (can_stand_alone(t.kind)) {
      const std::size_t nl = t.begin == 0 ? std::string_view::npos : text_.rfind('\n', t.begin - 1);
      const std::size_t line_start = nl == std::string_view::npos ? 0 : nl + 1;
      std::size_t after = t.end;
      while (after < text_.size() && (text_[after] == ' ' || text_[after] == '\t')) ++after;
      bool line_ends = after == text_.size();
      if (!line_ends && text_[after] == '\n') {
        line_ends = true;
        ++after;
      } else if (!line_ends && text_.compare(after, 2, "\r\n") == 0) {
        line_ends = true;
        after += 2;
      }
      if (line_ends && line_start >= pos && is_blank(text_.substr(line_start, t.begin - line_start))) {
        add_text(text_.substr(pos, line_start - pos));
        return after;
      }
    }
    add_text(text_.substr(pos, t.begin - pos));
    return t.end;
  }

  core::result<bool> apply(const tag& t) {
    const auto [line, column] = lines_.locate(t.begin);
    switch (t.kind) {
      case tag_kind::comment: return true;
      case tag_kind::variable:
      case tag_kind::raw_variable:
        current().push_back(node{t.kind == tag_kind::variable ? node::kind::variable : node::kind::raw_variable,
                                 std::string(t.name), line, column, {}});
        return true;
      case tag_kind::section:
      case tag_kind::inverted_section:
        open_.push_back(node{t.kind == tag_kind::section ? node::kind::section : node::kind::inverted_section,
                             std::string(t.name), line, column, {}});
        return true;
      case tag_kind::close: {
        if (open_.empty()) return fail(line, column, "closing tag " + quoted(t.name) + " without an open section");
        if (open_.back().value != t.name) {
          const node& s = open_.back();
          return fail(line, column, "closing tag " + quoted(t.name) + " does not match the open section " +
                                        quoted(s.value) + " (opened at " + location(s.line, s.column) + ")");
        }
        node done = std::move(open_.back());
        open_.pop_back();
        current().push_back(std::move(done));
        return true;
      }
    }
    return true;
  }

  std::vector<node>& current() { return open_.empty() ? root_ : open_.back().children; }

  void add_text(std::string_view s) {
    if (s.empty()) return;
    auto& nodes = current();
    if (!nodes.empty() && nodes.back().type == node::kind::text) {
      nodes.back().value += s;
    } else {
      nodes.push_back(node{node::kind::text, std::string(s), 0, 0, {}});
    }
  }

  std::string_view text_;
  line_index lines_;
  std::vector<node> root_;
  std::vector<node> open_;  // sections whose closing tag is still to come, innermost last
};

class renderer {
 public:
  renderer(const mustache_context& context, const render_options& options) : context_(context), options_(options) {}

  void render(const std::vector<node>& nodes) {
    for (const node& n : nodes) {
      switch (n.type) {
        case node::kind::text: out_ += n.value; break;
        case node::kind::variable:
        case node::kind::raw_variable: {
          const std::string* value = lookup(n.value);
          if (!value) {
            missing_.push_back(location(n.line, n.column) + ": variable " + quoted(n.value) + " is not set");
          } else if (n.type == node::kind::variable && options_.escape == escaping::html) {
            out_ += html_escape(*value);
          } else {
            out_ += *value;
          }
          break;
        }
        case node::kind::section:
        case node::kind::inverted_section: {
          const std::string* value = lookup(n.value);
          const bool truthy = value && is_truthy(*value);
          if (n.type == node::kind::inverted_section) {
            if (!truthy) render(n.children);
          } else if (truthy) {
            scope_.push_back(value);
            render(n.children);
            scope_.pop_back();
          }
          break;
        }
      }
    }
  }

  std::string& output() { return out_; }
  const std::vector<std::string>& missing() const { return missing_; }

 private:
  const std::string* lookup(const std::string& name) const {
    if (name == ".") return scope_.empty() ? nullptr : scope_.back();
    const auto it = context_.find(name);
    return it == context_.end() ? nullptr : &it->second;
  }

  const mustache_context& context_;
  const render_options& options_;
  std::vector<const std::string*> scope_;  // values of the sections being rendered, innermost last
  std::vector<std::string> missing_;
  std::string out_;
};

void collect_names(const std::vector<node>& nodes, std::set<std::string>& names) {
  for (const node& n : nodes) {
    if (n.type == node::kind::text || n.value == ".") continue;
    names.insert(n.value);
    collect_names(n.children, names);
  }
}

}  // namespace

core::result<mustache_template> mustache_template::parse(std::string_view text) {
  auto nodes = parser(text).run();
  if (!nodes) return nodes.err();
  return mustache_template(std::move(nodes).value());
}

core::result<std::string> mustache_template::render(const mustache_context& context,
                                                    const render_options& options) const {
  renderer r(context, options);
  r.render(nodes_);
  if (options.missing == missing_variable_policy::fail && !r.missing().empty()) {
    std::string message;
    for (const auto& m : r.missing()) message += (message.empty() ? "" : "\n") + m;
    return make_error(spec_errc::missing_variable, message);
  }
  return std::move(r.output());
}

std::vector<std::string> mustache_template::names() const {
  std::set<std::string> names;
  collect_names(nodes_, names);
  return {names.begin(), names.end()};
}

core::result<std::string> render_mustache(std::string_view text, const mustache_context& context,
                                          const render_options& options) {
  auto t = mustache_template::parse(text);
  if (!t) return t.err();
  return t->render(context, options);
}

bool is_truthy(std::string_view value) {
  if (value.empty()) return false;
  constexpr std::string_view k_false = "false";
  return !(value.size() == k_false.size() &&
           std::equal(value.begin(), value.end(), k_false.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == b;
           }));
}

std::string html_escape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace ternmq::scheduler::spec
