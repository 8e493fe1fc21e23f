#include "broker/auth/password_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <limits>
#include <optional>

#include "broker/auth/base64.hpp"

namespace ternmq::auth {
namespace {

constexpr std::string_view k_pbkdf2_prefix = "$pbkdf2-sha512$";
constexpr std::string_view k_mosquitto_pbkdf2_prefix = "$7$";
constexpr std::string_view k_mosquitto_sha512_prefix = "$6$";

core::error failure(std::string message) { return core::error{1, std::move(message)}; }

// Splits `text` at `$` into exactly `n` fields; nullopt when the count differs.
std::optional<std::vector<std::string_view>> split_fields(std::string_view text, std::size_t n) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t dollar = text.find('$', start);
    fields.push_back(text.substr(start, dollar == std::string_view::npos ? std::string_view::npos : dollar - start));
    if (dollar == std::string_view::npos) break;
    start = dollar + 1;
  }
  if (fields.size() != n) return std::nullopt;
  return fields;
}

std::optional<unsigned> parse_iterations(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  for (const char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  unsigned long long value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value < 1 || value > k_max_iterations) return std::nullopt;
  return static_cast<unsigned>(value);
}

// Fills `out` from the salt and hash fields, checking both decode and the hash has SHA-512's size.
core::result<password_hash> decode_salt_and_hash(password_hash out, std::string_view salt, std::string_view hash) {
  auto salt_bytes = base64_decode(salt);
  if (!salt_bytes) return failure("bad base64 in salt");
  auto hash_bytes = base64_decode(hash);
  if (!hash_bytes) return failure("bad base64 in hash");
  if (hash_bytes->size() != k_hash_bytes) return failure("hash is not 64 bytes long");
  out.salt = std::move(*salt_bytes);
  out.hash = std::move(*hash_bytes);
  return out;
}

core::result<password_hash> parse_with_iterations(hash_scheme scheme, std::string_view rest) {
  const auto fields = split_fields(rest, 3);  // <iterations>$<salt>$<hash>
  if (!fields) return failure("expected <iterations>$<salt>$<hash> after the scheme");
  const auto iterations = parse_iterations((*fields)[0]);
  if (!iterations) return failure("iteration count must be a whole number from 1 to " + std::to_string(k_max_iterations));
  return decode_salt_and_hash(password_hash{scheme, *iterations, {}, {}}, (*fields)[1], (*fields)[2]);
}

}  // namespace

core::result<password_hash> parse_password_hash(std::string_view text) {
  if (text.starts_with(k_pbkdf2_prefix))
    return parse_with_iterations(hash_scheme::pbkdf2_sha512, text.substr(k_pbkdf2_prefix.size()));
  if (text.starts_with(k_mosquitto_pbkdf2_prefix))
    return parse_with_iterations(hash_scheme::mosquitto_pbkdf2_sha512, text.substr(k_mosquitto_pbkdf2_prefix.size()));
  if (text.starts_with(k_mosquitto_sha512_prefix)) {
    const auto fields = split_fields(text.substr(k_mosquitto_sha512_prefix.size()), 2);
    if (!fields) return failure("expected <salt>$<hash> after the scheme");
    return decode_salt_and_hash(password_hash{hash_scheme::mosquitto_sha512, 0, {}, {}}, (*fields)[0], (*fields)[1]);
  }
  if (!text.starts_with('$'))
    return failure("not a password hash (plain-text passwords must first be hashed with ternmq-passwd -U)");
  return failure("unknown hash scheme (expected $pbkdf2-sha512$, $7$ or $6$)");
}

bool verify_password(const password_hash& stored, std::string_view password) {
  unsigned char computed[k_hash_bytes];
  bool computed_ok = false;
  if (stored.scheme == hash_scheme::mosquitto_sha512) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    unsigned int length = 0;
    computed_ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha512(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, password.data(), password.size()) == 1 &&
                  EVP_DigestUpdate(ctx, stored.salt.data(), stored.salt.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, computed, &length) == 1 && length == k_hash_bytes;
    EVP_MD_CTX_free(ctx);
  } else {
    computed_ok = password.size() <= static_cast<std::size_t>(std::numeric_limits<int>::max()) &&
                  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), stored.salt.data(),
                                    static_cast<int>(stored.salt.size()), static_cast<int>(stored.iterations),
                                    EVP_sha512(), static_cast<int>(k_hash_bytes), computed) == 1;
  }
  const bool equal = computed_ok && stored.hash.size() == k_hash_bytes &&
                     CRYPTO_memcmp(computed, stored.hash.data(), k_hash_bytes) == 0;
  OPENSSL_cleanse(computed, sizeof computed);
  return equal;
}

core::result<std::string> make_password_hash(std::string_view password, unsigned iterations) {
  if (password.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return failure("password too long");
  std::vector<unsigned char> salt(k_salt_bytes);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
    return failure("cannot get random bytes for a salt from OpenSSL");
  std::vector<unsigned char> hash(k_hash_bytes);
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(), static_cast<int>(salt.size()),
                        static_cast<int>(iterations), EVP_sha512(), static_cast<int>(hash.size()), hash.data()) != 1)
    return failure("PBKDF2 failed in OpenSSL");
  return std::string(k_pbkdf2_prefix) + std::to_string(iterations) + "$" + base64_encode(salt) + "$" +
         base64_encode(hash);
}

}  // namespace ternmq::auth
