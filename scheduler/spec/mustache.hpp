// A small Mustache renderer for svc.yml and config templates, after the Mustache spec
// (github.com/mustache/spec): `{{VAR}}`, `{{{VAR}}}` and `{{& VAR}}`, sections `{{#VAR}}...{{/VAR}}`,
// inverted sections `{{^VAR}}...{{/VAR}}`, comments `{{! ...}}`, and the spec's standalone-line
// rule (a line holding only a section, inverted, closing or comment tag and whitespace disappears
// from the output, newline included). Not supported, and refused with an error: partials `{{>x}}`,
// delimiter changes `{{=<% %>=}}`, inheritance `{{<x}}` / `{{$x}}`, pragmas `{{%x}}`.
//
// The context is a flat map of strings (for svc.yml, the scheduler's environment). Names are looked
// up literally (a dotted name is one key); inside a section, `{{.}}` is the section's value. A
// section renders once when its value is set, not empty and not "false" (any case), the way
// dcos-commons turns `true`/`false` environment values into booleans; an inverted section renders
// when it would not. There are no lists.
//
// Escaping is a render option and off by default: YAML is not HTML, and `{{VAR}}` must give a
// placement rule's quotes as they are. Missing variables render as empty unless the options make
// them an error.
//
// Pure. A parsed `mustache_template` is immutable; rendering it from several threads is safe.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/result.hpp"

namespace ternmq::scheduler::spec {

using mustache_context = std::map<std::string, std::string>;

enum class escaping {
  none,  // `{{VAR}}` gives the value as it is
  html,  // `{{VAR}}` escapes & " ' < > as the Mustache spec requires for HTML
};

enum class missing_variable_policy {
  render_empty,  // a variable the context lacks renders as "" (dcos-commons' default)
  fail,          // rendering fails, naming every missing variable with its line and column
};

struct render_options {
  escaping escape = escaping::none;
  missing_variable_policy missing = missing_variable_policy::render_empty;
};

namespace detail {
struct mustache_node {
  enum class kind { text, variable, raw_variable, section, inverted_section };
  kind type = kind::text;
  std::string value;  // text, or the tag's name
  std::size_t line = 0;
  std::size_t column = 0;
  std::vector<mustache_node> children;  // sections only
};
}  // namespace detail

class mustache_template {
 public:
  // Parses `text`. Errors have code `spec_errc::template_syntax` and read
  // "line L, column C: <reason>" (1-based; columns count bytes), e.g.
  // `line 3, column 5: section "TLS" is never closed`.
  static core::result<mustache_template> parse(std::string_view text);

  // Renders against `context`. Fails only under `missing_variable_policy::fail`, with code
  // `spec_errc::missing_variable`. Variables inside sections that do not render are not looked at.
  core::result<std::string> render(const mustache_context& context, const render_options& options = {}) const;

  // Every variable and section name the template uses, sorted, without repeats (`.` excluded), so a
  // caller can log which ones its context lacks.
  std::vector<std::string> names() const;

 private:
  explicit mustache_template(std::vector<detail::mustache_node> nodes) : nodes_(std::move(nodes)) {}
  std::vector<detail::mustache_node> nodes_;
};

// `mustache_template::parse(text)` then `render(context, options)`.
core::result<std::string> render_mustache(std::string_view text, const mustache_context& context,
                                          const render_options& options = {});

// True when a section over `value` renders: not empty and not "false" in any case.
bool is_truthy(std::string_view value);

// `value` with & " ' < > replaced by HTML entities.
std::string html_escape(std::string_view value);

}  // namespace ternmq::scheduler::spec
