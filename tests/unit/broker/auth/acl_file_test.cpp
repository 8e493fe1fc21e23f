// Tests for the ACL file: sections (anonymous, per user, patterns), read/write/both, the coverage
// rule for subscriptions (`#`, `+`, `$` topics), `$share`, and the parse errors.
#include <gtest/gtest.h>

#include <string>

#include "broker/auth/acl_file.hpp"
#include "broker/auth/reloading_file.hpp"

namespace ternmq::auth {
namespace {

const client_view k_anonymous{"anon-client", std::nullopt};
const client_view k_john{"johns-phone", std::string("john")};
const client_view k_mary{"marys-laptop", std::string("mary")};

acl_file parsed(const std::string& text) {
  auto acl = acl_file::parse(text, "vmq.acl");
  EXPECT_TRUE(acl) << acl.err().message;
  return acl ? std::move(acl).value() : *acl_file::parse("", "vmq.acl");
}

std::string error_of(const std::string& text) {
  auto acl = acl_file::parse(text, "vmq.acl");
  return acl ? std::string("<parsed without error>") : acl.err().message;
}

// The example from VerneMQ's documentation.
const std::string k_documented_example =
    "topic bar\n"
    "topic write foo\n"
    "topic read all\n"
    "\n"
    "user john\n"
    "topic foo\n"
    "topic read baz\n"
    "topic write all\n";

TEST(AclFile, DocumentedExampleForAnonymousClients) {
  const acl_file acl = parsed(k_documented_example);
  EXPECT_TRUE(acl.can_publish(k_anonymous, "bar"));
  EXPECT_TRUE(acl.can_subscribe(k_anonymous, "bar"));
  EXPECT_TRUE(acl.can_publish(k_anonymous, "foo"));
  EXPECT_FALSE(acl.can_subscribe(k_anonymous, "foo"));
  EXPECT_FALSE(acl.can_publish(k_anonymous, "all"));
  EXPECT_TRUE(acl.can_subscribe(k_anonymous, "all"));
  EXPECT_FALSE(acl.can_publish(k_anonymous, "baz"));
  EXPECT_FALSE(acl.can_subscribe(k_anonymous, "baz"));
}

TEST(AclFile, DocumentedExampleForJohn) {
  const acl_file acl = parsed(k_documented_example);
  EXPECT_TRUE(acl.can_publish(k_john, "foo"));
  EXPECT_TRUE(acl.can_subscribe(k_john, "foo"));
  EXPECT_FALSE(acl.can_publish(k_john, "baz"));
  EXPECT_TRUE(acl.can_subscribe(k_john, "baz"));
  EXPECT_TRUE(acl.can_publish(k_john, "all"));
  EXPECT_FALSE(acl.can_subscribe(k_john, "all"));
  // The anonymous section is for clients without a username only.
  EXPECT_FALSE(acl.can_publish(k_john, "bar"));
  EXPECT_FALSE(acl.can_subscribe(k_john, "bar"));
}

TEST(AclFile, UserWithoutSectionGetsNothing) {
  const acl_file acl = parsed(k_documented_example);
  EXPECT_FALSE(acl.can_publish(k_mary, "foo"));
  EXPECT_FALSE(acl.can_subscribe(k_mary, "all"));
  EXPECT_FALSE(acl.can_publish(k_mary, "bar"));
  // An empty username is a username, not anonymous.
  EXPECT_FALSE(acl.can_publish(client_view{"c", std::string()}, "bar"));
}

TEST(AclFile, SectionsForOneUserAreMerged) {
  const acl_file acl = parsed("user john\ntopic read a\nuser mary\ntopic b\nuser john\ntopic write c\n");
  EXPECT_TRUE(acl.can_subscribe(k_john, "a"));
  EXPECT_TRUE(acl.can_publish(k_john, "c"));
  EXPECT_FALSE(acl.can_publish(k_john, "b"));
  EXPECT_TRUE(acl.can_publish(k_mary, "b"));
  ASSERT_NE(acl.user_rules("john"), nullptr);
  EXPECT_EQ(acl.user_rules("john")->size(), 2U);
}

TEST(AclFile, ReadWriteAndBothAreDistinct) {
  const acl_file acl = parsed("topic read r/#\ntopic write w/#\ntopic rw/#\ntopic readwrite m/#\n");
  EXPECT_TRUE(acl.can_subscribe(k_anonymous, "r/x"));
  EXPECT_FALSE(acl.can_publish(k_anonymous, "r/x"));
  EXPECT_FALSE(acl.can_subscribe(k_anonymous, "w/x"));
  EXPECT_TRUE(acl.can_publish(k_anonymous, "w/x"));
  EXPECT_TRUE(acl.can_subscribe(k_anonymous, "rw/x"));
  EXPECT_TRUE(acl.can_publish(k_anonymous, "rw/x"));
  EXPECT_TRUE(acl.can_subscribe(k_anonymous, "m/x"));
  EXPECT_TRUE(acl.can_publish(k_anonymous, "m/x"));
  EXPECT_EQ(acl.anonymous_rules()[0], (acl_file::rule{"r/#", true, false}));
  EXPECT_EQ(acl.anonymous_rules()[1], (acl_file::rule{"w/#", false, true}));
  EXPECT_EQ(acl.anonymous_rules()[2], (acl_file::rule{"rw/#", true, true}));
}

TEST(AclFile, PublishMatchesWildcardRules) {
  const acl_file acl = parsed("topic write sensors/+/temp\ntopic write logs/#\n");
  EXPECT_TRUE(acl.can_publish(k_anonymous, "sensors/1/temp"));
  EXPECT_FALSE(acl.can_publish(k_anonymous, "sensors/1/2/temp"));
  EXPECT_TRUE(acl.can_publish(k_anonymous, "logs"));
  EXPECT_TRUE(acl.can_publish(k_anonymous, "logs/a/b"));
  EXPECT_FALSE(acl.can_publish(k_anonymous, "log"));
  EXPECT_FALSE(acl.can_publish(k_anonymous, "logs/+"));  // not a topic name
  EXPECT_FALSE(acl.can_publish(k_anonymous, ""));
}

TEST(AclFile, SubscribeNeedsAFilterThatCoversIt) {
  const acl_file acl = parsed("topic read a/#\ntopic read b/+\ntopic read c/x\n");
  EXPECT_TRUE(acl.can_subscribe(k_anonymous, "a/b/+"));
  EXPECT_TRUE(acl.can_subscribe(k_anonymous, "a/#"));
  EXPECT_TRUE(acl.can_subscribe(k_anonymous, "a/+/c/#"));
  EXPECT_TRUE(acl.can_subscribe(k_anonymous, "a"));  // `a/#` matches `a`
  EXPECT_TRUE(acl.can_subscribe(k_anonymous, "b/+"));
  EXPECT_TRUE(acl.can_subscribe(k_anonymous, "b/x"));
  EXPECT_FALSE(acl.can_subscribe(k_anonymous, "b/#"));  // would also match b and b/x/y
  EXPECT_FALSE(acl.can_subscribe(k_anonymous, "b"));
  EXPECT_FALSE(acl.can_subscribe(k_anonymous, "b/x/y"));
  EXPECT_FALSE(acl.can_subscribe(k_anonymous, "c/+"));
  EXPECT_FALSE(acl.can_subscribe(k_anonymous, "+/x"));
  EXPECT_FALSE(acl.can_subscribe(k_anonymous, "#"));
  EXPECT_FALSE(acl.can_subscribe(k_anonymous, "a/#/b"));  // invalid filter
}

TEST(FilterCovers, Table) {
  struct row {
    const char* acl;
    const char* sub;
    bool covered;
  };
  const row rows[] = {
      {"#", "#", true},          {"#", "a/b/+", true},      {"#", "$SYS/#", false},   {"#", "$SYS", false},
      {"+/#", "$x/y", false},    {"$SYS/#", "$SYS/+", true}, {"$SYS/#", "#", false},  {"+", "+", true},
      {"+", "a", true},          {"+", "#", false},         {"+", "a/b", false},      {"a/+", "a/#", false},
      {"a/+/#", "a", false},     {"a/+/#", "a/b", true},    {"a/+/#", "a/+/c", true}, {"a/b", "a/b", true},
      {"a/b", "a/+", false},     {"a/b", "a", false},       {"a", "a/b", false},      {"a//b", "a/+/b", false},
      {"a/+/b", "a//b", true},   {"a/#", "a/#", true},      {"a/#", "a", true},       {"a/b/#", "a/#", false},
  };
  for (const row& r : rows) EXPECT_EQ(filter_covers(r.acl, r.sub), r.covered) << r.acl << " covers " << r.sub;
}

TEST(AclFile, SharedSubscriptionsAreCheckedOnTheirFilter) {
  const acl_file acl = parsed("topic read jobs/#\n");
  EXPECT_TRUE(acl.can_subscribe(k_anonymous, "$share/workers/jobs/+"));
  EXPECT_TRUE(acl.can_subscribe(k_anonymous, "$share/workers/jobs/#"));
  EXPECT_FALSE(acl.can_subscribe(k_anonymous, "$share/workers/other/#"));
  EXPECT_FALSE(acl.can_subscribe(k_anonymous, "$share/jobs/#"));  // group "jobs", filter "#"
  EXPECT_FALSE(acl.can_subscribe(k_anonymous, "$share/workers"));
  EXPECT_FALSE(acl.can_subscribe(k_anonymous, "$share//jobs/x"));
}

TEST(AclFile, PatternsSubstituteClientIdAndUsername) {
  const acl_file acl = parsed("pattern read devices/%c/in/#\npattern write devices/%c/out\n"
                              "pattern users/%u/#\nuser john\ntopic read news\n");
  EXPECT_TRUE(acl.can_subscribe(k_john, "devices/johns-phone/in/#"));
  EXPECT_FALSE(acl.can_publish(k_john, "devices/johns-phone/in/x"));
  EXPECT_TRUE(acl.can_publish(k_john, "devices/johns-phone/out"));
  EXPECT_FALSE(acl.can_subscribe(k_john, "devices/marys-laptop/in/#"));
  EXPECT_FALSE(acl.can_subscribe(k_john, "devices/+/in/#"));
  EXPECT_TRUE(acl.can_publish(k_john, "users/john/status"));
  EXPECT_TRUE(acl.can_subscribe(k_john, "users/john/#"));
  EXPECT_FALSE(acl.can_publish(k_john, "users/mary/status"));
  EXPECT_TRUE(acl.can_subscribe(k_john, "news"));  // patterns add to the user's own rules
  // Patterns apply to users without a section, and `%c` ones to anonymous clients; `%u` needs a
  // username.
  EXPECT_TRUE(acl.can_publish(k_mary, "users/mary/x"));
  EXPECT_TRUE(acl.can_publish(k_anonymous, "devices/anon-client/out"));
  EXPECT_FALSE(acl.can_publish(k_anonymous, "users/%u/x"));
}

TEST(AclFile, SubstitutionIsForWholeLevelsOnly) {
  const acl_file acl = parsed("pattern write a/x%c/b\npattern write %u/%c\n");
  EXPECT_TRUE(acl.can_publish(k_john, "a/x%c/b"));
  EXPECT_FALSE(acl.can_publish(k_john, "a/xjohns-phone/b"));
  EXPECT_TRUE(acl.can_publish(k_john, "john/johns-phone"));
}

// A client id or username that is not one plain level must not widen a pattern.
TEST(SubstitutePattern, RefusesValuesThatWouldActAsWildcardsOrLevels) {
  EXPECT_EQ(substitute_pattern("d/%c/#", client_view{"abc", std::nullopt}), "d/abc/#");
  EXPECT_EQ(substitute_pattern("d/%c/#", client_view{"+", std::nullopt}), std::nullopt);
  EXPECT_EQ(substitute_pattern("d/%c/#", client_view{"#", std::nullopt}), std::nullopt);
  EXPECT_EQ(substitute_pattern("d/%c/#", client_view{"a/b", std::nullopt}), std::nullopt);
  EXPECT_EQ(substitute_pattern("d/%c/#", client_view{"", std::nullopt}), std::nullopt);
  EXPECT_EQ(substitute_pattern("u/%u", client_view{"c", std::string("x+")}), std::nullopt);
  EXPECT_EQ(substitute_pattern("u/%u", client_view{"c", std::nullopt}), std::nullopt);
  // `$` only matters in the first level, where it would name a `$SYS`-like tree.
  EXPECT_EQ(substitute_pattern("%c/#", client_view{"$SYS", std::nullopt}), std::nullopt);
  EXPECT_EQ(substitute_pattern("d/%c", client_view{"$x", std::nullopt}), "d/$x");

  const acl_file acl = parsed("pattern devices/%c/#\n");
  EXPECT_FALSE(acl.can_subscribe(client_view{"+", std::nullopt}, "devices/+/#"));
  EXPECT_FALSE(acl.can_publish(client_view{"a/b", std::nullopt}, "devices/a/b/x"));
}

TEST(AclFile, BlanksCommentsAndCrLfAreTolerated) {
  const acl_file acl = parsed("# comment\r\n\r\n  topic \t read   a/b  \r\n\t# another\nuser   john  \ntopic c d\n");
  EXPECT_TRUE(acl.can_subscribe(k_anonymous, "a/b"));
  EXPECT_FALSE(acl.can_publish(k_anonymous, "a/b"));
  EXPECT_TRUE(acl.can_publish(k_john, "c d"));  // a space inside a filter belongs to it
}

TEST(AclFile, DollarTopicsNeedTheirOwnRule) {
  const acl_file acl = parsed("topic #\nuser john\ntopic read $SYS/#\n");
  EXPECT_FALSE(acl.can_subscribe(k_anonymous, "$SYS/broker/uptime"));
  EXPECT_FALSE(acl.can_publish(k_anonymous, "$SYS/x"));
  EXPECT_TRUE(acl.can_subscribe(k_john, "$SYS/broker/+"));
}

TEST(AclFile, EmptyFileDeniesEverything) {
  const acl_file acl = parsed("");
  EXPECT_FALSE(acl.can_publish(k_anonymous, "a"));
  EXPECT_FALSE(acl.can_subscribe(k_john, "a"));
}

TEST(AclErrors, NameFileAndLine) {
  EXPECT_EQ(error_of("topic a\n\ntopci b\n"), "vmq.acl:3: unknown keyword (expected topic, user or pattern)");
  EXPECT_EQ(error_of("user\n"), "vmq.acl:1: missing username after 'user'");
  EXPECT_EQ(error_of("topic\n"), "vmq.acl:1: missing topic filter");
  EXPECT_EQ(error_of("# x\npattern   \n"), "vmq.acl:2: missing topic filter");
  EXPECT_EQ(error_of("topic read\n"), "vmq.acl:1: missing topic filter after 'read'");
  EXPECT_EQ(error_of("topic write \n"), "vmq.acl:1: missing topic filter after 'write'");
  EXPECT_EQ(error_of("topic a/#/b\n"), "vmq.acl:1: invalid topic filter \"a/#/b\"");
  EXPECT_EQ(error_of("pattern read a/b+\n"), "vmq.acl:1: invalid topic filter \"a/b+\"");
  EXPECT_EQ(error_of("topic deny secret/#\n"), "vmq.acl:1: 'deny' rules are not supported; remove the grant instead");
  EXPECT_EQ(error_of("topic read $share/g/a\n"),
            "vmq.acl:1: a $share/ filter is not a topic; shared subscriptions are checked against their filter");
  EXPECT_EQ(acl_file::parse("x\n", "vmq.acl").err().code, static_cast<int>(file_errc::malformed));
}

// A password file given as the ACL file by mistake must not put its hashes in the log.
TEST(AclErrors, UnknownLinesAreNotQuoted) {
  const std::string message = error_of("alice:$7$101$XU+jSUyRA5BR5C2Q$kfk3\n");
  EXPECT_EQ(message, "vmq.acl:1: unknown keyword (expected topic, user or pattern)");
}

TEST(AclErrors, UnreadableFileIsNamed) {
  auto acl = acl_file::load("/nonexistent/ternmq/vmq.acl");
  ASSERT_FALSE(acl);
  EXPECT_EQ(acl.err().code, static_cast<int>(file_errc::unreadable));
  EXPECT_EQ(acl.err().message, "/nonexistent/ternmq/vmq.acl: cannot open: No such file or directory");
}

}  // namespace
}  // namespace ternmq::auth
