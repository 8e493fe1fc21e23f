// Byte-level robustness of the cluster decoder, fuzz-style but deterministic (fixed seeds):
// every truncation of every sample is an error, never a crash; random byte mutations either
// fail cleanly or decode to a message that re-encodes to exactly the same bytes (the decoder
// accepts only the canonical form); random garbage of every type never crashes.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "broker/cluster/messages.hpp"
#include "cluster_test_support.hpp"

namespace ternmq::cluster {
namespace {

std::string payload_of(const message& m) {
  auto p = encode_payload(m);
  EXPECT_TRUE(p.has_value());
  return p ? *p : std::string();
}

TEST(MessagesFuzzTest, EveryTruncationOfEverySampleIsAnError) {
  for (const auto& m : test_support::sample_messages()) {
    const std::string payload = payload_of(m);
    const auto type = static_cast<std::uint8_t>(type_of(m));
    ASSERT_TRUE(decode(frame{type, payload}).has_value()) << to_string(type_of(m));
    for (std::size_t n = 0; n < payload.size(); ++n) {
      EXPECT_FALSE(decode(frame{type, payload.substr(0, n)}).has_value())
          << to_string(type_of(m)) << " truncated to " << n << " of " << payload.size() << " bytes";
    }
  }
}

TEST(MessagesFuzzTest, EveryTruncationOfRandomMessagesIsAnError) {
  test_support::message_generator gen(99);
  for (int i = 0; i < 300; ++i) {
    const message m = gen.next();
    const std::string payload = payload_of(m);
    const auto type = static_cast<std::uint8_t>(type_of(m));
    for (std::size_t n = 0; n < payload.size(); ++n) {
      ASSERT_FALSE(decode(frame{type, payload.substr(0, n)}).has_value())
          << "message " << i << " (" << to_string(type_of(m)) << ") truncated to " << n;
    }
  }
}

TEST(MessagesFuzzTest, AFramePrefixYieldsNoFrameAndNoError) {
  for (const auto& m : test_support::sample_messages()) {
    const std::string bytes = *encode(m);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      frame_decoder d;
      auto out = d.feed(std::string_view(bytes).substr(0, n));
      ASSERT_TRUE(out.has_value());
      EXPECT_TRUE(out->empty());
    }
  }
}

// Decodes `payload` as `type`; when it decodes, re-encoding must give the same bytes back.
void expect_clean(std::uint8_t type, const std::string& payload, const char* what, int i) {
  auto decoded = decode(frame{type, payload});
  if (!decoded) return;
  EXPECT_EQ(static_cast<std::uint8_t>(type_of(*decoded)), type) << what << " " << i;
  auto again = encode_payload(*decoded);
  ASSERT_TRUE(again.has_value()) << what << " " << i;
  EXPECT_EQ(*again, payload) << what << " " << i << ": accepted a non-canonical encoding";
}

TEST(MessagesFuzzTest, MutatedSamplesFailCleanlyOrStayCanonical) {
  std::mt19937 rng(4242);
  const auto samples = test_support::sample_messages();
  int decoded = 0;
  for (int i = 0; i < 20000; ++i) {
    const message& m = samples[rng() % samples.size()];
    std::string payload = payload_of(m);
    if (payload.empty()) continue;
    for (unsigned flips = 1 + rng() % 3; flips > 0; --flips) {
      payload[rng() % payload.size()] = static_cast<char>(rng() % 256);
    }
    if (decode(frame{static_cast<std::uint8_t>(type_of(m)), payload})) ++decoded;
    expect_clean(static_cast<std::uint8_t>(type_of(m)), payload, "mutation", i);
  }
  // Some mutations land in payload bytes or values and still decode: the check above ran.
  EXPECT_GT(decoded, 0);
}

TEST(MessagesFuzzTest, RandomGarbageOfEveryTypeNeverCrashes) {
  std::mt19937 rng(777);
  for (int i = 0; i < 20000; ++i) {
    std::string payload(rng() % 64, '\0');
    for (auto& c : payload) c = static_cast<char>(rng() % 256);
    // Bias towards small counts and lengths so that decoding gets past the first fields.
    for (std::size_t k = 0; k + 1 < payload.size(); k += 3) {
      if (rng() % 2) payload[k] = 0;
    }
    expect_clean(static_cast<std::uint8_t>(rng() % 0x60), payload, "garbage", i);
  }
}

}  // namespace
}  // namespace ternmq::cluster
