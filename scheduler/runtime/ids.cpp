#include "scheduler/runtime/ids.hpp"

#include <random>

namespace ternmq::scheduler::runtime {

std::string new_uuid() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  constexpr const char* k_hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    auto v = static_cast<unsigned>(random() & 0xF);
    if (i == 12) v = 4;              // version 4
    if (i == 16) v = 8 | (v & 3);    // RFC 4122 variant
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    out += k_hex[v];
  }
  return out;
}

}  // namespace ternmq::scheduler::runtime
