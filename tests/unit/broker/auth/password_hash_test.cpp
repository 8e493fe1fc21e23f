// Tests for the three password hash schemes and the base64 they are written in. Vectors for
// `$7$` and `$6$` come from Debian's mosquitto_passwd 2.0.11; the `$pbkdf2-sha512$` vector from
// Python's hashlib.pbkdf2_hmac, so each scheme is checked against an implementation other than ours.
#include <gtest/gtest.h>

#include <string>

#include "broker/auth/base64.hpp"
#include "broker/auth/password_hash.hpp"

namespace ternmq::auth {
namespace {

// mosquitto_passwd -c -b f alice alicepw
constexpr const char* k_mosquitto_7 =
    "$7$101$XU+jSUyRA5BR5C2Q$kfk3m3OhQyiw7mwlq2wNWSd18ZeU8CNKywunEWkMpnxZklgxU2iwVOr1Rc2JfQubtAv18xIXtFTMZJkqfzUTvA==";
// mosquitto_passwd -H sha512 -b f bob bobpw
constexpr const char* k_mosquitto_6 =
    "$6$nWX+7qR5CogGHAIG$r9ttEwCSb9t8j5yGWTejwV/55GexQf+CHeoA+z/t3CYUZCkj3yeIxAbzhvFNEuDmNRaM26jTfB+q8JXHAOerPg==";
// hashlib.pbkdf2_hmac('sha512', b'correct horse', bytes(range(16)), 1000, 64)
constexpr const char* k_ours_1000 =
    "$pbkdf2-sha512$1000$AAECAwQFBgcICQoLDA0ODw==$Xpx07WjVx4vCIvrmBRj8uOoVVtGqJqtUv2J5bhizSQs7osCteF7W4A61dZDqSIqQjO+"
    "dxO6p5FT/Uy7QRBXSXA==";

password_hash parsed(const std::string& text) {
  auto h = parse_password_hash(text);
  EXPECT_TRUE(h) << h.err().message;
  return h ? *h : password_hash{};
}

std::string error_of(const std::string& text) {
  auto h = parse_password_hash(text);
  return h ? std::string("<parsed without error>") : h.err().message;
}

TEST(Base64, RoundTripsTheRfc4648Vectors) {
  const std::pair<std::string, std::string> vectors[] = {{"f", "Zg=="},     {"fo", "Zm8="},         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    const std::vector<unsigned char> bytes(plain.begin(), plain.end());
    EXPECT_EQ(base64_encode(bytes), encoded);
    EXPECT_EQ(base64_decode(encoded), bytes) << encoded;
  }
}

TEST(Base64, RefusesWhatIsNotCanonicalPaddedBase64) {
  for (const char* bad : {"", "Zg", "Zg=", "Z===", "Zm9v\n", "Zm 9v", "Zm9.", "Zg==Zg==", "=Zg=", "Zm-_"})
    EXPECT_FALSE(base64_decode(bad)) << bad;
}

TEST(PasswordHash, MosquittoPbkdf2VerifiesOnlyTheRightPassword) {
  const password_hash h = parsed(k_mosquitto_7);
  EXPECT_EQ(h.scheme, hash_scheme::mosquitto_pbkdf2_sha512);
  EXPECT_EQ(h.iterations, 101U);
  EXPECT_EQ(h.salt.size(), 12U);
  EXPECT_TRUE(verify_password(h, "alicepw"));
  EXPECT_FALSE(verify_password(h, "alicepw "));
  EXPECT_FALSE(verify_password(h, "Alicepw"));
  EXPECT_FALSE(verify_password(h, ""));
}

TEST(PasswordHash, MosquittoSha512VerifiesOnlyTheRightPassword) {
  const password_hash h = parsed(k_mosquitto_6);
  EXPECT_EQ(h.scheme, hash_scheme::mosquitto_sha512);
  EXPECT_EQ(h.salt.size(), 12U);
  EXPECT_TRUE(verify_password(h, "bobpw"));
  EXPECT_FALSE(verify_password(h, "bobpx"));
  EXPECT_FALSE(verify_password(h, "bobp"));
}

TEST(PasswordHash, OwnSchemeMatchesAnIndependentPbkdf2) {
  const password_hash h = parsed(k_ours_1000);
  EXPECT_EQ(h.scheme, hash_scheme::pbkdf2_sha512);
  EXPECT_EQ(h.iterations, 1000U);
  EXPECT_EQ(h.salt.size(), 16U);
  EXPECT_TRUE(verify_password(h, "correct horse"));
  EXPECT_FALSE(verify_password(h, "correct horse battery"));
}

TEST(PasswordHash, MadeHashesHaveTheDocumentedLayoutAndVerify) {
  auto text = make_password_hash("s3cret", 1000);
  ASSERT_TRUE(text) << text.err().message;
  // $pbkdf2-sha512$1000$<24 characters: 16-byte salt>$<88 characters: 64-byte hash>
  const std::string prefix = "$pbkdf2-sha512$1000$";
  ASSERT_TRUE(text->starts_with(prefix)) << *text;
  const std::string salt = text->substr(prefix.size(), 24);
  const std::string hash = text->substr(prefix.size() + 24 + 1);
  EXPECT_EQ(text->at(prefix.size() + 24), '$') << *text;
  EXPECT_EQ(hash.size(), 88U) << *text;
  EXPECT_EQ(base64_decode(salt).value_or(std::vector<unsigned char>{}).size(), 16U) << *text;
  EXPECT_EQ(base64_decode(hash).value_or(std::vector<unsigned char>{}).size(), 64U) << *text;
  const password_hash h = parsed(*text);
  EXPECT_TRUE(verify_password(h, "s3cret"));
  EXPECT_FALSE(verify_password(h, "s3cret!"));
  // A fresh salt each time.
  EXPECT_NE(*make_password_hash("s3cret", 1000), *text);
}

TEST(PasswordHash, DefaultCostIsTheDocumentedOne) {
  auto text = make_password_hash("x");
  ASSERT_TRUE(text);
  EXPECT_TRUE(text->starts_with("$pbkdf2-sha512$120000$")) << *text;
  EXPECT_TRUE(verify_password(parsed(*text), "x"));
}

TEST(PasswordHash, UnknownSchemesAreNamedAsSuch) {
  EXPECT_EQ(error_of("$5$abcd$efgh"), "unknown hash scheme (expected $pbkdf2-sha512$, $7$ or $6$)");
  EXPECT_EQ(error_of("$pbkdf2-sha256$1000$AAAA$AAAA"), "unknown hash scheme (expected $pbkdf2-sha512$, $7$ or $6$)");
  EXPECT_EQ(error_of("$6"), "unknown hash scheme (expected $pbkdf2-sha512$, $7$ or $6$)");
}

// A plain-text password where the hash belongs must not end up in the message.
TEST(PasswordHash, PlainTextIsRefusedWithoutBeingRepeated) {
  const std::string message = error_of("hunter2");
  EXPECT_EQ(message, "not a password hash (plain-text passwords must first be hashed with ternmq-passwd -U)");
  EXPECT_EQ(message.find("hunter2"), std::string::npos);
}

TEST(PasswordHash, BadBase64IsReportedByField) {
  EXPECT_EQ(error_of("$7$101$XU+jSUyRA5BR5C2$kfk3"), "bad base64 in salt");
  EXPECT_EQ(error_of("$7$101$XU+jSUyRA5BR5C2Q$kfk3m3Oh!yiw"), "bad base64 in hash");
  EXPECT_EQ(error_of("$6$$r9ttEwCS"), "bad base64 in salt");
  EXPECT_EQ(error_of("$6$nWX+7qR5CogGHAIG$"), "bad base64 in hash");
  // Decodes, but to 3 bytes instead of 64.
  EXPECT_EQ(error_of("$6$nWX+7qR5CogGHAIG$Zm9v"), "hash is not 64 bytes long");
}

// glibc crypt(3) SHA-512 shares the `$6$` prefix but not the encoding. This one (`openssl passwd -6
// -salt saltsaltsaltsalt pw4`) happens to use only standard base64 characters, 86 of them, which a
// decoder that allowed missing padding would turn into 64 bytes that no password ever matches.
TEST(PasswordHash, Crypt3Sha512IsNotMistakenForMosquittos) {
  EXPECT_EQ(error_of("$6$saltsaltsaltsalt$0R5uxnm/xpVOUEa1CGlhksRxScygHztli6mmHicxDJvM/82VqbrknGYH/VPa/4t17Wc5iq06"
                     "wwS/mbN4LL43p1"),
            "bad base64 in hash");
}

TEST(PasswordHash, BadIterationCountsAreRefused) {
  const std::string expected = "iteration count must be a whole number from 1 to 5000000";
  for (const char* count : {"0", "", "abc", "-1", "+5", "1e3", "5000001", "99999999999", "10 "}) {
    EXPECT_EQ(error_of(std::string("$7$") + count + "$XU+jSUyRA5BR5C2Q$kfk3"), expected) << count;
    EXPECT_EQ(error_of(std::string("$pbkdf2-sha512$") + count + "$XU+jSUyRA5BR5C2Q$kfk3"), expected) << count;
  }
}

TEST(PasswordHash, WrongFieldCountsAreRefused) {
  EXPECT_EQ(error_of("$7$101$XU+jSUyRA5BR5C2Q"), "expected <iterations>$<salt>$<hash> after the scheme");
  EXPECT_EQ(error_of(std::string(k_mosquitto_7) + "$"), "expected <iterations>$<salt>$<hash> after the scheme");
  EXPECT_EQ(error_of("$6$nWX+7qR5CogGHAIG"), "expected <salt>$<hash> after the scheme");
  EXPECT_EQ(error_of("$6$101$nWX+7qR5CogGHAIG$Zm9v"), "expected <salt>$<hash> after the scheme");
}

}  // namespace
}  // namespace ternmq::auth
