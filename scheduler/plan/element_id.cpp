#include "scheduler/plan/element_id.hpp"

#include <array>
#include <cstdint>

namespace ternmq::scheduler::plans {
namespace {

constexpr std::uint64_t k_fnv_offset = 14695981039346656037ULL;
constexpr std::uint64_t k_fnv_prime = 1099511628211ULL;
constexpr std::uint64_t k_second_seed = 0x9e3779b97f4a7c15ULL;

std::uint64_t fnv1a(std::string_view text, std::uint64_t seed) {
  std::uint64_t h = seed;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= k_fnv_prime;
  }
  return h;
}

}  // namespace

std::string element_id(std::string_view path) {
  std::array<std::uint8_t, 16> bytes{};
  const std::uint64_t halves[2] = {fnv1a(path, k_fnv_offset), fnv1a(path, k_fnv_offset ^ k_second_seed)};
  for (std::size_t i = 0; i < 16; ++i) {
    bytes[i] = static_cast<std::uint8_t>(halves[i / 8] >> (8 * (7 - i % 8)));
  }
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x80);  // version 8
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);  // variant 10

  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(k_hex[bytes[i] >> 4]);
    out.push_back(k_hex[bytes[i] & 0x0f]);
  }
  return out;
}

}  // namespace ternmq::scheduler::plans
