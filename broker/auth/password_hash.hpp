// One password hash from a password file: parsing its text form, checking a password against it,
// and making a new one. Three schemes are understood:
//
//   $pbkdf2-sha512$<iterations>$<base64 salt>$<base64 hash>   ours: PBKDF2-HMAC-SHA512,
//                                                              16-byte random salt, 64-byte hash
//   $7$<iterations>$<base64 salt>$<base64 hash>               mosquitto_passwd 2.x default:
//                                                              PBKDF2-HMAC-SHA512, 12-byte salt
//   $6$<base64 salt>$<base64 hash>                            mosquitto_passwd `-H sha512`:
//                                                              SHA-512(password || salt)
//
// Base64 is the standard padded alphabet (see base64.hpp); the salt is the decoded bytes. `$6$` is
// mosquitto's format, not crypt(3)'s SHA-512 scheme that shares the prefix. Pure apart from the
// random salt in `make_password_hash`; thread-safe (no shared state).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"

namespace ternmq::auth {

enum class hash_scheme { pbkdf2_sha512, mosquitto_pbkdf2_sha512, mosquitto_sha512 };

// PBKDF2 iterations for new hashes. OWASP suggests 210,000 for PBKDF2-HMAC-SHA512, but one
// verification then costs about 130 ms of CPU on the reference machine (one Xeon core, OpenSSL 3.0),
// and the broker pays it on every CONNECT. 120,000 costs about 70 ms there, which leaves headroom
// under the 100 ms budget when the machine is busy. Each hash stores its own count, so raising this
// later only affects hashes made afterwards.
inline constexpr unsigned k_default_iterations = 120'000;

// Iteration counts outside [1, k_max_iterations] are refused when a file is read: a typo such as an
// extra zero or two would otherwise make every CONNECT for that user stall a worker for seconds.
inline constexpr unsigned k_max_iterations = 5'000'000;

inline constexpr std::size_t k_salt_bytes = 16;
inline constexpr std::size_t k_hash_bytes = 64;  // SHA-512 output, for all three schemes

struct password_hash {
  hash_scheme scheme = hash_scheme::pbkdf2_sha512;
  unsigned iterations = 0;  // unused for `mosquitto_sha512`
  std::vector<unsigned char> salt;
  std::vector<unsigned char> hash;
};

// Parses the text form. The error message says what is wrong ("unknown hash scheme", "bad base64
// in salt", ...) and never repeats any part of `text`, which may be a secret (a plain-text password
// typed where a hash belongs).
core::result<password_hash> parse_password_hash(std::string_view text);

// True when `password` produces `stored.hash`; the comparison takes the same time wherever the
// first differing byte is (CRYPTO_memcmp).
bool verify_password(const password_hash& stored, std::string_view password);

// A new `$pbkdf2-sha512$` hash of `password` with a random salt, in text form. Fails only when
// OpenSSL cannot produce random bytes. REQUIRES: 1 <= iterations <= k_max_iterations.
core::result<std::string> make_password_hash(std::string_view password,
                                             unsigned iterations = k_default_iterations);

}  // namespace ternmq::auth
