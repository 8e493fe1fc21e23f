// Shared by the cluster tests: hex helpers, one fully populated sample of every message type
// (every optional field set, so a field the codec forgets changes the round trip), and a
// random message generator seeded by the caller so that failures reproduce.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "broker/cluster/messages.hpp"

namespace ternmq::cluster::test_support {

// "00 0a ff" -> bytes; spaces ignored.
std::string from_hex(std::string_view hex);
std::string to_hex(std::string_view bytes);

// A nonce (or proof) of `size` bytes all equal to `fill`.
std::string filled(char fill, std::size_t size);

hlc_timestamp stamp(std::uint64_t ms, std::uint32_t counter, std::string node);

// A message with every property set.
app_message full_app_message();
session_snapshot full_snapshot();

// One sample per message type, in `message_type` order, every optional field present.
std::vector<message> sample_messages();

// Random valid messages: random strings (UTF-8, including multi-byte), lengths, counts,
// optional fields present or not.
class message_generator {
 public:
  explicit message_generator(std::uint32_t seed) : rng_(seed) {}
  message next();

  std::mt19937& rng() { return rng_; }

 private:
  std::string text(std::size_t max_len);
  std::string bytes(std::size_t max_len);
  std::string nodename();
  std::string topic_name();
  std::string topic_filter();
  std::uint32_t u32() { return static_cast<std::uint32_t>(rng_()); }
  bool coin() { return std::uniform_int_distribution<int>(0, 1)(rng_) == 1; }
  std::uint32_t below(std::uint32_t n) { return std::uniform_int_distribution<std::uint32_t>(0, n - 1)(rng_); }
  hlc_timestamp random_stamp();
  message_properties properties();
  app_message app();
  queued_message queued(std::uint8_t min_qos);
  session_snapshot snapshot();
  metadata_entry entry(map_id map);

  std::mt19937 rng_;
};

}  // namespace ternmq::cluster::test_support
