// Tests for the cluster messages: golden bytes (so a bug shared by encoder and decoder cannot
// hide), the round trip of a full sample of every type and of thousands of random messages
// (fixed seed), and each validation rule of the decoder.
#include "broker/cluster/messages.hpp"

#include <gtest/gtest.h>

#include <string>

#include "broker/cluster/error.hpp"
#include "broker/cluster/wire.hpp"
#include "cluster_test_support.hpp"

namespace ternmq::cluster {
namespace {

using test_support::filled;
using test_support::from_hex;
using test_support::to_hex;

std::string frame_bytes(const message& m) {
  auto out = encode(m);
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.err().message);
  return out ? *out : std::string();
}

// Decodes a whole encoded frame (header included).
core::result<message> decode_bytes(const std::string& bytes) {
  frame_decoder d;
  auto frames = d.feed(bytes);
  if (!frames) return frames.err();
  if (frames->size() != 1) return make_error(errc::truncated, "not exactly one frame");
  return decode(frames->front());
}

core::result<message> round_trip(const message& m) { return decode_bytes(frame_bytes(m)); }

// Decodes a hand-built payload of `type`.
core::result<message> decode_payload(message_type type, const std::string& payload) {
  return decode(frame{static_cast<std::uint8_t>(type), payload});
}

void expect_error(const core::result<message>& r, errc code) {
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(is(r.err(), code)) << "got " << to_string(static_cast<errc>(r.err().code)) << ": " << r.err().message;
}

TEST(MessagesTest, PingGoldenBytes) {
  EXPECT_EQ(to_hex(frame_bytes(ping{0x0102030405060708})), "00 00 00 09 10 01 02 03 04 05 06 07 08");
}

TEST(MessagesTest, HelloGoldenBytes) {
  const std::string bytes = frame_bytes(hello{1, "n1", filled('\x11', k_nonce_size)});
  EXPECT_EQ(to_hex(bytes.substr(0, 13)), "00 00 00 29 01 00 01 00 02 6e 31 00 20");
  EXPECT_EQ(bytes.substr(13), filled('\x11', 32));
}

TEST(MessagesTest, PublishGoldenBytes) {
  publish p{"a", "", app_message{"t", "hi", 1, false, {}}, "c", true, {}};
  p.message.props.user = {{"k", "v"}};
  EXPECT_EQ(to_hex(frame_bytes(p)),
            "00 00 00 24 40"                  // length 36, type publish
            " 00 01 61 00 00 00 01 63"        // origin "a", mountpoint "", publisher "c"
            " 01 00 00 00 00"                 // plain subscribers, no shared targets
            " 00 01 74 01 00"                 // topic "t", QoS 1, not retained
            " 00 00 00 00 01 00 01 6b 00 01 76"  // no optional property, one user property k=v
            " 00 00 00 02 68 69");            // payload "hi"
}

TEST(MessagesTest, MetadataDeltaGoldenBytes) {
  metadata_delta d{map_id::membership,
                   {metadata_entry{member_key("b"), hlc_timestamp{0x0102, 3, "a"}, std::nullopt}}};
  EXPECT_EQ(to_hex(frame_bytes(d)),
            "00 00 00 1b 31 01 00 00 00 01"  // map membership, one entry
            " 00 00 00 01 62"                 // owner "", name "b"
            " 00 00 00 00 00 00 01 02 00 00 00 03 00 01 61"  // stamp 258.3@a
            " 00");                           // tombstone
}

TEST(MessagesTest, EverySampleRoundTrips) {
  const auto samples = test_support::sample_messages();
  ASSERT_EQ(samples.size(), std::variant_size_v<message>);
  for (const auto& m : samples) {
    auto back = round_trip(m);
    ASSERT_TRUE(back.has_value()) << to_string(type_of(m)) << ": " << back.err().message;
    EXPECT_EQ(*back, m) << to_string(type_of(m));
    EXPECT_EQ(static_cast<std::uint8_t>(type_of(m)), static_cast<std::uint8_t>(frame_bytes(m)[4]));
  }
}

TEST(MessagesTest, RandomMessagesRoundTrip) {
  test_support::message_generator gen(1234567);
  for (int i = 0; i < 5000; ++i) {
    const message m = gen.next();
    auto back = round_trip(m);
    ASSERT_TRUE(back.has_value()) << "message " << i << " (" << to_string(type_of(m)) << "): " << back.err().message;
    ASSERT_EQ(*back, m) << "message " << i << " (" << to_string(type_of(m)) << ")";
  }
}

TEST(MessagesTest, UnknownTypeIsAnError) {
  expect_error(decode(frame{0x7F, ""}), errc::unknown_message_type);
  expect_error(decode(frame{0x00, ""}), errc::unknown_message_type);
}

TEST(MessagesTest, TrailingBytesAreAnError) {
  expect_error(decode_payload(message_type::ping, from_hex("00 00 00 00 00 00 00 01 ff")), errc::trailing_bytes);
}

TEST(MessagesTest, NonceAndProofMustHaveTheirSize) {
  std::string payload;
  wire_writer w(payload);
  w.u16(1);
  w.text("n");
  w.bytes16(filled('x', k_nonce_size - 1));
  expect_error(decode_payload(message_type::hello, payload), errc::invalid_value);

  std::string short_proof;
  wire_writer p(short_proof);
  p.bytes16(filled('p', 16));
  expect_error(decode_payload(message_type::auth_ok, short_proof), errc::invalid_value);
}

TEST(MessagesTest, EmptyOrInvalidNodeNameIsRefused) {
  expect_error(decode_payload(message_type::leave, from_hex("00 00")), errc::invalid_value);
  expect_error(decode_payload(message_type::leave, from_hex("00 01 ff")), errc::invalid_utf8);
  std::string long_name;
  wire_writer w(long_name);
  w.text(std::string(256, 'n'));
  expect_error(decode_payload(message_type::leave, long_name), errc::invalid_value);
}

TEST(MessagesTest, JoinNeedsAHostAndPort) {
  for (const char* address : {"10.0.0.1", "10.0.0.1:", ":44053", "10.0.0.1:0", "10.0.0.1:65536", "fd00::1:44053",
                              "10.0.0.1:44x"}) {
    std::string payload;
    wire_writer w(payload);
    w.text("n");
    w.text(address);
    expect_error(decode_payload(message_type::join, payload), errc::invalid_value);
  }
  EXPECT_TRUE(round_trip(join{"n", "[fd00::1]:44053"}).has_value());
  EXPECT_TRUE(round_trip(join{"n", "broker-0.ternmq.autoip.dcos.thisdcos.directory:44053"}).has_value());
}

TEST(MessagesTest, RefusalReasonMustBeKnown) {
  expect_error(decode_payload(message_type::auth_refused, from_hex("09 00 00")), errc::invalid_value);
  expect_error(decode_payload(message_type::auth_refused, from_hex("00 00 00")), errc::invalid_value);
}

TEST(MessagesTest, PublishFieldsAreValidated) {
  const publish good{"a", "", app_message{"t", "", 0, false, {}}, "", true, {}};
  ASSERT_TRUE(round_trip(good).has_value());

  auto with = [&](auto change) {
    publish p = good;
    change(p);
    return decode_bytes(frame_bytes(p));
  };
  expect_error(with([](publish& p) { p.message.qos = 3; }), errc::invalid_value);
  expect_error(with([](publish& p) { p.message.topic = "a/+/c"; }), errc::invalid_value);
  expect_error(with([](publish& p) { p.message.topic = ""; }), errc::invalid_value);
  expect_error(with([](publish& p) { p.message.props.payload_format = 2; }), errc::invalid_value);
  expect_error(with([](publish& p) { p.message.props.response_topic = "r/#"; }), errc::invalid_value);
  expect_error(with([](publish& p) { p.shared = {{"", "x"}}; }), errc::invalid_value);
  expect_error(with([](publish& p) { p.shared = {{"g/h", "x"}}; }), errc::invalid_value);
  expect_error(with([](publish& p) { p.shared = {{"g+", "x"}}; }), errc::invalid_value);
  expect_error(with([](publish& p) { p.shared = {{"g", "x/#/y"}}; }), errc::invalid_value);
  expect_error(with([](publish& p) { p.to_plain_subscribers = false; }), errc::invalid_value);
  EXPECT_TRUE(with([](publish& p) {
                p.to_plain_subscribers = false;
                p.shared = {{"g", "x/#"}};
              }).has_value());
}

TEST(MessagesTest, UnknownPropertyBitIsRefused) {
  std::string bytes = frame_bytes(publish{"a", "", app_message{"t", "", 0, false, {}}, "", true, {}});
  // The property bits follow origin(3) mountpoint(2) publisher(2) plain(1) shared(4)
  // topic(3) qos(1) retain(1), after the 5-byte frame header.
  const std::size_t bits_at = 5 + 3 + 2 + 2 + 1 + 4 + 3 + 1 + 1;
  ASSERT_EQ(bytes[bits_at], 0);
  bytes[bits_at] = 0x20;
  expect_error(decode_bytes(bytes), errc::invalid_value);
}

TEST(MessagesTest, UserPropertyCountBeyondTheFrameIsRefused) {
  std::string bytes = frame_bytes(publish{"a", "", app_message{"t", "", 0, false, {}}, "", true, {}});
  const std::size_t count_at = 5 + 3 + 2 + 2 + 1 + 4 + 3 + 1 + 1 + 1;
  bytes[count_at] = '\x7F';  // 2 billion user properties announced in a 40-byte frame
  expect_error(decode_bytes(bytes), errc::count_too_large);
}

TEST(MessagesTest, MetadataEntriesAreCheckedAgainstTheirMap) {
  const hlc_timestamp t{1, 0, "n"};
  // A subscription entry sent as a retained one: its key does not parse as mountpoint + topic.
  metadata_entry sub{encode_key(subscription_key{"n", "", "c", "a/#"}), t, encode_value(subscription_value{})};
  expect_error(round_trip(metadata_delta{map_id::retained, {sub}}), errc::invalid_value);
  EXPECT_TRUE(round_trip(metadata_delta{map_id::subscriptions, {sub}}).has_value());

  metadata_entry bad_value = sub;
  bad_value.value = std::string("\x03\x00\x00\x00\x00\x00\x00", 7);  // QoS 3
  expect_error(round_trip(metadata_delta{map_id::subscriptions, {bad_value}}), errc::invalid_value);

  metadata_entry bad_filter{encode_key(subscription_key{"n", "", "c", "a/#/b"}), t, std::nullopt};
  expect_error(round_trip(metadata_delta{map_id::subscriptions, {bad_filter}}), errc::invalid_value);

  metadata_entry no_owner{encode_key(subscription_key{"", "", "c", "a"}), t, std::nullopt};
  expect_error(round_trip(metadata_delta{map_id::subscriptions, {no_owner}}), errc::invalid_value);

  metadata_entry anonymous_stamp = sub;
  anonymous_stamp.stamp.node.clear();
  expect_error(round_trip(metadata_delta{map_id::subscriptions, {anonymous_stamp}}), errc::invalid_value);

  expect_error(decode_payload(message_type::metadata_delta, from_hex("04 00 00 00 00")), errc::invalid_value);
}

TEST(MessagesTest, SnapshotInvariantsAreChecked) {
  auto transfer = [](auto change) {
    session_snapshot s = test_support::full_snapshot();
    change(s);
    return round_trip(session_transfer{1, "", "c", s});
  };
  EXPECT_TRUE(transfer([](session_snapshot&) {}).has_value());
  expect_error(transfer([](session_snapshot& s) { s.inflight[0].packet_id = 0; }), errc::invalid_value);
  expect_error(transfer([](session_snapshot& s) { s.inflight[1].packet_id = s.inflight[0].packet_id; }),
               errc::invalid_value);
  expect_error(transfer([](session_snapshot& s) { s.inflight[0].delivery.qos = 0; }), errc::invalid_value);
  expect_error(transfer([](session_snapshot& s) { s.inflight[1].delivery.qos = 1; }), errc::invalid_value);
  expect_error(transfer([](session_snapshot& s) { s.incoming_qos2 = {5, 5}; }), errc::invalid_value);
  expect_error(transfer([](session_snapshot& s) { s.subscriptions[0].filter = "a#"; }), errc::invalid_value);
  expect_error(transfer([](session_snapshot& s) { s.queue[0].subscription_ids = {0}; }), errc::invalid_value);
  expect_error(transfer([](session_snapshot& s) { s.will->message.qos = 3; }), errc::invalid_value);
}

TEST(MessagesTest, EncodeRefusesAFrameAboveTheLimit) {
  publish p{"a", "", app_message{"t", std::string(5000, 'x'), 0, false, {}}, "", true, {}};
  auto out = encode(p, k_handshake_max_frame_size);
  ASSERT_FALSE(out.has_value());
  EXPECT_TRUE(is(out.err(), errc::frame_too_large));
}

TEST(MessagesTest, EncodeRefusesAFieldTooLongForItsPrefix) {
  auto out = encode(leave{std::string(70000, 'n')});
  ASSERT_FALSE(out.has_value());
  EXPECT_TRUE(is(out.err(), errc::invalid_value));
}

}  // namespace
}  // namespace ternmq::cluster
