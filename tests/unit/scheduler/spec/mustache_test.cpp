// Tests for the Mustache renderer. The `Spec*` tests restate the relevant cases of the Mustache spec
// (interpolation.yml, sections.yml, inverted.yml, comments.yml), adapted to a flat string context:
// where the spec uses `true`/`false` we use "true"/"false", and objects become any non-empty value.
#include "scheduler/spec/mustache.hpp"

#include <gtest/gtest.h>

#include "scheduler/spec/spec_errc.hpp"

namespace ternmq::scheduler::spec {
namespace {

std::string render(std::string_view text, const mustache_context& ctx = {}, render_options options = {}) {
  auto r = render_mustache(text, ctx, options);
  return r ? *r : "<error: " + r.err().message + ">";
}

std::string html(std::string_view text, const mustache_context& ctx) {
  return render(text, ctx, render_options{escaping::html, missing_variable_policy::render_empty});
}

std::string error_of(std::string_view text, const mustache_context& ctx = {}, render_options options = {}) {
  auto r = render_mustache(text, ctx, options);
  return r ? "<rendered: " + *r + ">" : r.err().message;
}

const mustache_context k_true{{"boolean", "true"}};
const mustache_context k_false{{"boolean", "false"}};

// --- interpolation.yml ---

TEST(MustacheSpecInterpolation, NoInterpolation) {
  EXPECT_EQ(render("Hello from {Mustache}!\n"), "Hello from {Mustache}!\n");
}

TEST(MustacheSpecInterpolation, BasicInterpolation) {
  EXPECT_EQ(render("Hello, {{subject}}!\n", {{"subject", "world"}}), "Hello, world!\n");
}

TEST(MustacheSpecInterpolation, HtmlEscapingWhenEnabled) {
  const mustache_context ctx{{"forbidden", "& \" < >"}};
  EXPECT_EQ(html("These characters should be HTML escaped: {{forbidden}}\n", ctx),
            "These characters should be HTML escaped: &amp; &quot; &lt; &gt;\n");
  EXPECT_EQ(html("These characters should not be HTML escaped: {{{forbidden}}}\n", ctx),
            "These characters should not be HTML escaped: & \" < >\n");
  EXPECT_EQ(html("These characters should not be HTML escaped: {{&forbidden}}\n", ctx),
            "These characters should not be HTML escaped: & \" < >\n");
}

TEST(MustacheSpecInterpolation, RawByDefaultForYaml) {
  const mustache_context ctx{{"placement", R"([["hostname", "UNIQUE"]])"}};
  EXPECT_EQ(render("placement: '{{placement}}'", ctx), R"(placement: '[["hostname", "UNIQUE"]]')");
  EXPECT_EQ(render("placement: '{{{placement}}}'", ctx), R"(placement: '[["hostname", "UNIQUE"]]')");
}

TEST(MustacheSpecInterpolation, IntegersAndDecimalsAreJustText) {
  EXPECT_EQ(render("\"{{mph}} miles an hour!\"", {{"mph", "85"}}), "\"85 miles an hour!\"");
  EXPECT_EQ(render("\"{{power}} jiggawatts!\"", {{"power", "1.210"}}), "\"1.210 jiggawatts!\"");
}

TEST(MustacheSpecInterpolation, ContextMissesRenderEmpty) {
  EXPECT_EQ(render("I ({{cannot}}) be seen!"), "I () be seen!");
  EXPECT_EQ(render("I ({{{cannot}}}) be seen!"), "I () be seen!");
  EXPECT_EQ(render("I ({{&cannot}}) be seen!"), "I () be seen!");
}

TEST(MustacheSpecInterpolation, SurroundingWhitespaceIsKept) {
  const mustache_context ctx{{"string", "---"}};
  EXPECT_EQ(render("| {{string}} |", ctx), "| --- |");
  EXPECT_EQ(render("| {{{string}}} |", ctx), "| --- |");
  EXPECT_EQ(render("| {{&string}} |", ctx), "| --- |");
}

TEST(MustacheSpecInterpolation, StandaloneInterpolationKeepsItsLine) {
  const mustache_context ctx{{"string", "---"}};
  EXPECT_EQ(render("  {{string}}\n", ctx), "  ---\n");
  EXPECT_EQ(render("  {{{string}}}\n", ctx), "  ---\n");
  EXPECT_EQ(render("  {{&string}}\n", ctx), "  ---\n");
}

TEST(MustacheSpecInterpolation, Padding) {
  const mustache_context ctx{{"string", "---"}};
  EXPECT_EQ(render("|{{ string }}|", ctx), "|---|");
  EXPECT_EQ(render("|{{{ string }}}|", ctx), "|---|");
  EXPECT_EQ(render("|{{& string }}|", ctx), "|---|");
}

TEST(MustacheSpecInterpolation, ValuesAreNotRenderedAgain) {
  EXPECT_EQ(render("{{a}}", {{"a", "{{b}}"}, {"b", "no"}}), "{{b}}");
}

// --- sections.yml ---

TEST(MustacheSpecSections, Truthy) {
  EXPECT_EQ(render("\"{{#boolean}}This should be rendered.{{/boolean}}\"", k_true), "\"This should be rendered.\"");
}

TEST(MustacheSpecSections, Falsey) {
  EXPECT_EQ(render("\"{{#boolean}}This should not be rendered.{{/boolean}}\"", k_false), "\"\"");
}

TEST(MustacheSpecSections, FalseInAnyCaseAndEmptyAreFalsey) {
  EXPECT_EQ(render("[{{#b}}x{{/b}}]", {{"b", "FALSE"}}), "[]");
  EXPECT_EQ(render("[{{#b}}x{{/b}}]", {{"b", "False"}}), "[]");
  EXPECT_EQ(render("[{{#b}}x{{/b}}]", {{"b", ""}}), "[]");
  EXPECT_EQ(render("[{{#b}}x{{/b}}]", {{"b", "0"}}), "[x]");  // only "false" and "" are false
  EXPECT_EQ(render("[{{#b}}x{{/b}}]", {{"b", "falsey"}}), "[x]");
}

TEST(MustacheSpecSections, ContextMisses) {
  EXPECT_EQ(render("[{{#missing}}Found key 'missing'!{{/missing}}]"), "[]");
}

TEST(MustacheSpecSections, ImplicitIteratorIsTheSectionValue) {
  EXPECT_EQ(render("\"{{#list}}({{.}}){{/list}}\"", {{"list", "a"}}), "\"(a)\"");
  EXPECT_EQ(render("[{{.}}]"), "[]");
}

TEST(MustacheSpecSections, Doubled) {
  EXPECT_EQ(render("{{#bool}}\n* first\n{{/bool}}\n* {{two}}\n{{#bool}}\n* third\n{{/bool}}\n",
                   {{"bool", "true"}, {"two", "second"}}),
            "* first\n* second\n* third\n");
}

TEST(MustacheSpecSections, NestedTruthyAndFalsey) {
  EXPECT_EQ(render("| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |", {{"bool", "true"}}), "| A B C D E |");
  EXPECT_EQ(render("| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |", {{"bool", "false"}}), "| A  E |");
}

TEST(MustacheSpecSections, VariablesInsideSectionsSeeTheWholeContext) {
  EXPECT_EQ(render("{{#a}}{{b}}{{/a}}", {{"a", "x"}, {"b", "y"}}), "y");
}

TEST(MustacheSpecSections, SurroundingAndInternalWhitespace) {
  EXPECT_EQ(render(" | {{#boolean}}\t|\t{{/boolean}} | \n", k_true), " | \t|\t | \n");
  EXPECT_EQ(render(" | {{#boolean}} {{! Important Whitespace }}\n {{/boolean}} | \n", k_true), " |  \n  | \n");
}

TEST(MustacheSpecSections, IndentedInlineSectionsAreNotStandalone) {
  EXPECT_EQ(render(" {{#boolean}}YES{{/boolean}}\n {{#boolean}}GOOD{{/boolean}}\n", k_true), " YES\n GOOD\n");
}

TEST(MustacheSpecSections, StandaloneLines) {
  EXPECT_EQ(render("| This Is\n{{#boolean}}\n|\n{{/boolean}}\n| A Line\n", k_true), "| This Is\n|\n| A Line\n");
}

TEST(MustacheSpecSections, IndentedStandaloneLines) {
  EXPECT_EQ(render("| This Is\n  {{#boolean}}\n|\n  {{/boolean}}\n| A Line\n", k_true), "| This Is\n|\n| A Line\n");
}

TEST(MustacheSpecSections, StandaloneLineEndings) {
  EXPECT_EQ(render("|\r\n{{#boolean}}\r\n{{/boolean}}\r\n|", k_true), "|\r\n|");
}

TEST(MustacheSpecSections, StandaloneWithoutPreviousLine) {
  EXPECT_EQ(render("  {{#boolean}}\n#{{/boolean}}\n/", k_true), "#\n/");
}

TEST(MustacheSpecSections, StandaloneWithoutNewline) {
  EXPECT_EQ(render("#{{#boolean}}\n/\n  {{/boolean}}", k_true), "#\n/\n");
}

TEST(MustacheSpecSections, Padding) {
  EXPECT_EQ(render("|{{# boolean }}={{/ boolean }}|", k_true), "|=|");
}

// --- inverted.yml ---

TEST(MustacheSpecInverted, FalseyAndTruthy) {
  EXPECT_EQ(render("\"{{^boolean}}This should be rendered.{{/boolean}}\"", k_false), "\"This should be rendered.\"");
  EXPECT_EQ(render("\"{{^boolean}}This should not be rendered.{{/boolean}}\"", k_true), "\"\"");
}

TEST(MustacheSpecInverted, AnyNonEmptyValueIsTruthy) {
  EXPECT_EQ(render("\"{{^context}}Hi {{name}}.{{/context}}\"", {{"context", "Joe"}}), "\"\"");
}

TEST(MustacheSpecInverted, ContextMisses) {
  EXPECT_EQ(render("[{{^missing}}Found key 'missing'!{{/missing}}]"), "[Found key 'missing'!]");
}

TEST(MustacheSpecInverted, Doubled) {
  EXPECT_EQ(render("{{^bool}}\n* first\n{{/bool}}\n* {{two}}\n{{^bool}}\n* third\n{{/bool}}\n",
                   {{"bool", "false"}, {"two", "second"}}),
            "* first\n* second\n* third\n");
}

TEST(MustacheSpecInverted, NestedFalseyAndTruthy) {
  EXPECT_EQ(render("| A {{^bool}}B {{^bool}}C{{/bool}} D{{/bool}} E |", {{"bool", "false"}}), "| A B C D E |");
  EXPECT_EQ(render("| A {{^bool}}B {{^bool}}C{{/bool}} D{{/bool}} E |", {{"bool", "true"}}), "| A  E |");
}

TEST(MustacheSpecInverted, Whitespace) {
  EXPECT_EQ(render(" | {{^boolean}}\t|\t{{/boolean}} | \n", k_false), " | \t|\t | \n");
  EXPECT_EQ(render(" | {{^boolean}} {{! Important Whitespace }}\n {{/boolean}} | \n", k_false), " |  \n  | \n");
  EXPECT_EQ(render(" {{^boolean}}NO{{/boolean}}\n {{^boolean}}WAY{{/boolean}}\n", k_false), " NO\n WAY\n");
}

TEST(MustacheSpecInverted, StandaloneRules) {
  EXPECT_EQ(render("| This Is\n{{^boolean}}\n|\n{{/boolean}}\n| A Line\n", k_false), "| This Is\n|\n| A Line\n");
  EXPECT_EQ(render("| This Is\n  {{^boolean}}\n|\n  {{/boolean}}\n| A Line\n", k_false), "| This Is\n|\n| A Line\n");
  EXPECT_EQ(render("|\r\n{{^boolean}}\r\n{{/boolean}}\r\n|", k_false), "|\r\n|");
  EXPECT_EQ(render("  {{^boolean}}\n^{{/boolean}}\n/", k_false), "^\n/");
  EXPECT_EQ(render("^{{^boolean}}\n/\n  {{/boolean}}", k_false), "^\n/\n");
  EXPECT_EQ(render("|{{^ boolean }}={{/ boolean }}|", k_false), "|=|");
}

// --- comments.yml ---

TEST(MustacheSpecComments, InlineAndMultiline) {
  EXPECT_EQ(render("12345{{! Comment Block! }}67890"), "1234567890");
  EXPECT_EQ(render("12345{{!\n  This is a\n  multi-line comment...\n}}67890\n"), "1234567890\n");
}

TEST(MustacheSpecComments, Standalone) {
  EXPECT_EQ(render("Begin.\n{{! Comment Block! }}\nEnd.\n"), "Begin.\nEnd.\n");
  EXPECT_EQ(render("Begin.\n  {{! Indented Comment Block! }}\nEnd.\n"), "Begin.\nEnd.\n");
  EXPECT_EQ(render("|\r\n{{! Standalone Comment }}\r\n|"), "|\r\n|");
  EXPECT_EQ(render("  {{! I'm Still Standalone }}\n!"), "!");
  EXPECT_EQ(render("!\n  {{! I'm Still Standalone }}"), "!\n");
}

TEST(MustacheSpecComments, MultilineStandalone) {
  EXPECT_EQ(render("Begin.\n{{!\nSomething's going on here...\n}}\nEnd.\n"), "Begin.\nEnd.\n");
  EXPECT_EQ(render("Begin.\n  {{!\n    Something's going on here...\n  }}\nEnd.\n"), "Begin.\nEnd.\n");
}

TEST(MustacheSpecComments, InlineCommentsKeepWhitespace) {
  EXPECT_EQ(render("  12 {{! 34 }}\n"), "  12 \n");
  EXPECT_EQ(render("12345 {{! Comment Block! }} 67890"), "12345  67890");
}

TEST(MustacheSpecComments, CommentsNeverLookUpNames) {
  EXPECT_EQ(render("comments never show: >{{! comment }}<", {{"! comment", "1"}, {"comment", "2"}}),
            "comments never show: ><");
}

// --- svc.yml shapes ---

TEST(Mustache, OptionalYamlBlockDisappearsWithItsLines) {
  const std::string text =
      "ports:\n"
      "  mqtt:\n"
      "    port: 1883\n"
      "  {{#TLS}}\n"
      "  mqtt-tls:\n"
      "    port: 8883\n"
      "  {{/TLS}}\n"
      "  cluster:\n"
      "    port: 0\n";
  EXPECT_EQ(render(text, {{"TLS", "false"}}), "ports:\n  mqtt:\n    port: 1883\n  cluster:\n    port: 0\n");
  EXPECT_EQ(render(text, {{"TLS", "true"}}),
            "ports:\n  mqtt:\n    port: 1883\n  mqtt-tls:\n    port: 8883\n  cluster:\n    port: 0\n");
}

TEST(Mustache, NamesListsEveryVariableAndSection) {
  auto t = mustache_template::parse("{{A}} {{#B}}{{C}}{{.}}{{/B}}{{^D}}{{{E}}}{{/D}}{{& F}}{{! G }}{{A}}");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->names(), (std::vector<std::string>{"A", "B", "C", "D", "E", "F"}));
}

TEST(Mustache, ParsedTemplateRendersManyContexts) {
  auto t = mustache_template::parse("count: {{N}}");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t->render({{"N", "3"}}), "count: 3");
  EXPECT_EQ(*t->render({{"N", "5"}}), "count: 5");
}

TEST(Mustache, StrictModeNamesEveryMissingVariable) {
  const render_options strict{escaping::none, missing_variable_policy::fail};
  auto r = render_mustache("a: {{A}}\nb: {{B}}\nc: {{C}}\n{{#OFF}}{{D}}{{/OFF}}", {{"B", "x"}}, strict);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, static_cast<int>(spec_errc::missing_variable));
  EXPECT_EQ(r.err().message,
            "line 1, column 4: variable \"A\" is not set\n"
            "line 3, column 4: variable \"C\" is not set");
  EXPECT_TRUE(render_mustache("{{#MISSING}}x{{/MISSING}}", {}, strict));  // sections may be unset
}

// --- errors ---

TEST(MustacheErrors, UnclosedSectionNamesWhereItOpened) {
  auto r = render_mustache("a\n  {{#TLS}}\nb\n", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, static_cast<int>(spec_errc::template_syntax));
  EXPECT_EQ(r.err().message, "line 2, column 3: section \"TLS\" is never closed");
}

TEST(MustacheErrors, MismatchedClose) {
  EXPECT_EQ(error_of("{{#A}}\n{{#B}}\n{{/A}}\n"),
            "line 3, column 1: closing tag \"A\" does not match the open section \"B\" (opened at line 2, column 1)");
  EXPECT_EQ(error_of("x {{/A}}"), "line 1, column 3: closing tag \"A\" without an open section");
}

TEST(MustacheErrors, UnknownTagTypes) {
  EXPECT_EQ(error_of("ok\n {{> partial}}"), "line 2, column 2: unsupported tag type '>': partials are not supported");
  EXPECT_EQ(error_of("{{=<% %>=}}"), "line 1, column 1: unsupported tag type '=': delimiter changes are not supported");
  EXPECT_EQ(error_of("{{<parent}}{{/parent}}"),
            "line 1, column 1: unsupported tag type '<': template inheritance is not supported");
  EXPECT_EQ(error_of("{{$block}}{{/block}}"),
            "line 1, column 1: unsupported tag type '$': template inheritance is not supported");
}

TEST(MustacheErrors, MalformedTags) {
  EXPECT_EQ(error_of("abc {{NAME"), "line 1, column 5: unclosed tag: no \"}}\" after \"{{\"");
  EXPECT_EQ(error_of("{{{NAME}}"), "line 1, column 1: unclosed tag: no \"}}}\" after \"{{{\"");
  EXPECT_EQ(error_of("{{ }}"), "line 1, column 1: empty tag name");
  EXPECT_EQ(error_of("{{#}}{{/}}"), "line 1, column 1: empty tag name");
  EXPECT_EQ(error_of("{{A B}}"), "line 1, column 1: invalid tag name \"A B\"");
}

TEST(Mustache, Helpers) {
  EXPECT_TRUE(is_truthy("true"));
  EXPECT_TRUE(is_truthy("x"));
  EXPECT_FALSE(is_truthy(""));
  EXPECT_FALSE(is_truthy("fAlSe"));
  EXPECT_EQ(html_escape("a&b<c>\"d\"'e'"), "a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;");
}

}  // namespace
}  // namespace ternmq::scheduler::spec
