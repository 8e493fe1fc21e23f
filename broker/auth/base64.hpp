// Standard base64 (RFC 4648 section 4, `+` and `/`, `=` padding), the encoding mosquitto_passwd
// uses for salts and hashes. Pure; thread-safe (no state).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ternmq::auth {

// Encodes `bytes` with padding, so the length is always a multiple of 4.
std::string base64_encode(const std::vector<unsigned char>& bytes);

// Decodes canonical padded base64: length a multiple of 4, `=` only as the last one or two
// characters, no whitespace. nullopt on anything else, including the empty string. Padding is
// required so that a crypt(3) `$6$` hash from /etc/shadow (86 characters of another alphabet) is
// refused instead of decoding by accident into 64 bytes that can never verify.
std::optional<std::vector<unsigned char>> base64_decode(std::string_view text);

}  // namespace ternmq::auth
