// Tests for the cluster handshake: both sides authenticate with the same cookie; a wrong cookie
// on either side, a replayed proof, a version mismatch, a peer using our name, the wrong peer
// and messages out of order all end refused with the right reason. The machines are driven by
// hand, passing messages between them, and through the real codec once.
#include "broker/cluster/handshake.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "broker/cluster/proof.hpp"
#include "cluster_test_support.hpp"

namespace ternmq::cluster {
namespace {

using test_support::filled;

const std::string k_server_nonce = filled('S', k_nonce_size);
const std::string k_client_nonce = filled('C', k_nonce_size);

handshake_config config(std::string name, std::string cookie = "secret-cookie") {
  return handshake_config{std::move(name), std::move(cookie), k_protocol_version};
}

// Runs the exchange to its end; returns the last message the client sent, if any.
void run(server_handshake& server, client_handshake& client) {
  std::optional<message> to_client = server.start();
  for (int step = 0; step < 4 && to_client; ++step) {
    std::optional<message> to_server = client.on_message(*to_client);
    if (!to_server) break;
    to_client = server.on_message(*to_server);
  }
}

TEST(HandshakeTest, SameCookieAuthenticatesBothWays) {
  server_handshake server(config("node-a"), k_server_nonce);
  client_handshake client(config("node-b"), k_client_nonce);
  run(server, client);
  ASSERT_EQ(server.state(), handshake_state::authenticated);
  ASSERT_EQ(client.state(), handshake_state::authenticated);
  EXPECT_EQ(server.peer(), "node-b");
  EXPECT_EQ(client.peer(), "node-a");
}

TEST(HandshakeTest, TheCookieNeverAppearsOnTheWire) {
  const std::string cookie = "a-cookie-nobody-should-see";
  server_handshake server(config("node-a", cookie), k_server_nonce);
  client_handshake client(config("node-b", cookie), k_client_nonce);
  std::string wire;
  message m = server.start();
  wire += *encode(m);
  auto a = client.on_message(m);
  ASSERT_TRUE(a);
  wire += *encode(*a);
  auto ok = server.on_message(*a);
  ASSERT_TRUE(ok);
  wire += *encode(*ok);
  EXPECT_FALSE(client.on_message(*ok));
  EXPECT_EQ(client.state(), handshake_state::authenticated);
  EXPECT_EQ(wire.find(cookie), std::string::npos);
}

TEST(HandshakeTest, ThroughTheCodec) {
  server_handshake server(config("node-a"), k_server_nonce);
  client_handshake client(config("node-b"), k_client_nonce);
  frame_decoder to_client(k_handshake_max_frame_size), to_server(k_handshake_max_frame_size);
  auto deliver = [](frame_decoder& d, const message& m) {
    auto frames = d.feed(*encode(m, k_handshake_max_frame_size));
    EXPECT_TRUE(frames && frames->size() == 1);
    return *decode(frames->front());
  };
  auto a = client.on_message(deliver(to_client, server.start()));
  ASSERT_TRUE(a);
  auto ok = server.on_message(deliver(to_server, *a));
  ASSERT_TRUE(ok);
  client.on_message(deliver(to_client, *ok));
  EXPECT_EQ(server.state(), handshake_state::authenticated);
  EXPECT_EQ(client.state(), handshake_state::authenticated);
}

TEST(HandshakeTest, ClientWithWrongCookieIsRefusedByTheServer) {
  server_handshake server(config("node-a", "right"), k_server_nonce);
  client_handshake client(config("node-b", "wrong"), k_client_nonce);
  run(server, client);
  EXPECT_EQ(server.state(), handshake_state::refused);
  EXPECT_EQ(server.reason(), refusal::wrong_cookie);
  EXPECT_FALSE(server.refused_by_peer());
  // The client learns it from the server's auth_refused.
  EXPECT_EQ(client.state(), handshake_state::refused);
  EXPECT_EQ(client.reason(), refusal::wrong_cookie);
  EXPECT_TRUE(client.refused_by_peer());
}

TEST(HandshakeTest, ServerWithWrongCookieIsRefusedByTheClient) {
  // A server that does not know the cookie cannot answer the client's proof with a valid one:
  // here an impostor that accepts anything and sends a proof made with its own cookie.
  client_handshake client(config("node-b", "right"), k_client_nonce);
  server_handshake impostor(config("node-a", "guess"), k_server_nonce);
  auto a = client.on_message(impostor.start());
  ASSERT_TRUE(a);
  const auto& sent = std::get<auth>(*a);
  const std::string forged =
      compute_proof("guess", proof_role::server, k_server_nonce, sent.nonce, sent.nodename, "node-a");
  auto reply = client.on_message(auth_ok{forged});
  EXPECT_EQ(client.state(), handshake_state::refused);
  EXPECT_EQ(client.reason(), refusal::wrong_cookie);
  ASSERT_TRUE(reply);
  EXPECT_EQ(std::get<auth_refused>(*reply).reason, refusal::wrong_cookie);
}

TEST(HandshakeTest, AReplayedProofFailsAgainstANewNonce) {
  // Record a successful exchange...
  server_handshake first(config("node-a"), k_server_nonce);
  client_handshake client(config("node-b"), k_client_nonce);
  auto recorded = client.on_message(first.start());
  ASSERT_TRUE(recorded);
  ASSERT_TRUE(first.on_message(*recorded));
  ASSERT_EQ(first.state(), handshake_state::authenticated);
  // ...and replay the client's auth to a server that chose a fresh nonce.
  server_handshake second(config("node-a"), filled('T', k_nonce_size));
  second.start();
  auto reply = second.on_message(*recorded);
  EXPECT_EQ(second.state(), handshake_state::refused);
  EXPECT_EQ(second.reason(), refusal::wrong_cookie);
  ASSERT_TRUE(reply);
  EXPECT_TRUE(std::holds_alternative<auth_refused>(*reply));
}

TEST(HandshakeTest, AReplayedServerProofFailsAgainstANewClientNonce) {
  server_handshake server(config("node-a"), k_server_nonce);
  client_handshake first(config("node-b"), k_client_nonce);
  auto a = first.on_message(server.start());
  auto recorded_ok = server.on_message(*a);
  ASSERT_TRUE(recorded_ok);
  // A fake server replays the hello and auth_ok it once saw to a client with a fresh nonce.
  client_handshake second(config("node-b"), filled('D', k_nonce_size));
  ASSERT_TRUE(second.on_message(server.start()));
  second.on_message(*recorded_ok);
  EXPECT_EQ(second.state(), handshake_state::refused);
  EXPECT_EQ(second.reason(), refusal::wrong_cookie);
}

TEST(HandshakeTest, AServerProofCannotBeReflectedAsAClientProof) {
  // Proofs are bound to their direction: the server's proof for these nonces and names is not
  // the client's, so a peer cannot get one side to compute the other side's proof.
  const std::string client_proof = compute_proof("c", proof_role::client, k_server_nonce, k_client_nonce, "b", "a");
  const std::string server_proof = compute_proof("c", proof_role::server, k_server_nonce, k_client_nonce, "b", "a");
  EXPECT_EQ(client_proof.size(), k_proof_size);
  EXPECT_NE(client_proof, server_proof);
  // And names are length-prefixed: "ab"+"c" is not "a"+"bc".
  EXPECT_NE(compute_proof("c", proof_role::client, k_server_nonce, k_client_nonce, "ab", "c"),
            compute_proof("c", proof_role::client, k_server_nonce, k_client_nonce, "a", "bc"));
}

TEST(HandshakeTest, VersionMismatchIsRefusedByTheClient) {
  auto server_config = config("node-a");
  server_config.protocol_version = 2;
  server_handshake server(server_config, k_server_nonce);
  client_handshake client(config("node-b"), k_client_nonce);
  run(server, client);
  EXPECT_EQ(client.state(), handshake_state::refused);
  EXPECT_EQ(client.reason(), refusal::version_mismatch);
  EXPECT_FALSE(client.refused_by_peer());
  EXPECT_EQ(server.state(), handshake_state::refused);
  EXPECT_EQ(server.reason(), refusal::version_mismatch);
  EXPECT_TRUE(server.refused_by_peer());
}

TEST(HandshakeTest, APeerClaimingOurNameIsRefused) {
  {
    server_handshake server(config("node-a"), k_server_nonce);
    client_handshake client(config("node-a"), k_client_nonce);  // dialled itself
    run(server, client);
    EXPECT_EQ(client.reason(), refusal::own_name);
  }
  {
    // A client that claims the server's name, with a valid proof even.
    server_handshake server(config("node-a"), k_server_nonce);
    const std::string proof = compute_proof("secret-cookie", proof_role::client, k_server_nonce, k_client_nonce,
                                            "node-a", "node-a");
    server.start();
    auto reply = server.on_message(auth{"node-a", k_client_nonce, proof});
    EXPECT_EQ(server.state(), handshake_state::refused);
    EXPECT_EQ(server.reason(), refusal::own_name);
    ASSERT_TRUE(reply);
  }
}

TEST(HandshakeTest, ClientRefusesAServerOfAnotherNameThanDialled) {
  server_handshake server(config("node-c"), k_server_nonce);
  client_handshake client(config("node-b"), k_client_nonce, std::string("node-a"));
  run(server, client);
  EXPECT_EQ(client.state(), handshake_state::refused);
  EXPECT_EQ(client.reason(), refusal::unexpected_peer);
}

TEST(HandshakeTest, ServerRefusesAnythingButAuthFirst) {
  for (const message& m : {message{ping{1}}, message{auth_ok{filled('x', k_proof_size)}},
                           message{hello{1, "node-b", k_client_nonce}}, message{join{"node-b", "h:1"}}}) {
    server_handshake server(config("node-a"), k_server_nonce);
    server.start();
    auto reply = server.on_message(m);
    EXPECT_EQ(server.state(), handshake_state::refused) << to_string(type_of(m));
    EXPECT_EQ(server.reason(), refusal::unexpected_message);
    ASSERT_TRUE(reply);
    EXPECT_EQ(std::get<auth_refused>(*reply).reason, refusal::unexpected_message);
  }
}

TEST(HandshakeTest, ClientRefusesAuthOkBeforeHelloAndHelloTwice) {
  {
    client_handshake client(config("node-b"), k_client_nonce);
    client.on_message(auth_ok{filled('x', k_proof_size)});
    EXPECT_EQ(client.state(), handshake_state::refused);
    EXPECT_EQ(client.reason(), refusal::unexpected_message);
  }
  {
    server_handshake server(config("node-a"), k_server_nonce);
    client_handshake client(config("node-b"), k_client_nonce);
    ASSERT_TRUE(client.on_message(server.start()));
    client.on_message(server.start());
    EXPECT_EQ(client.state(), handshake_state::refused);
    EXPECT_EQ(client.reason(), refusal::unexpected_message);
  }
}

TEST(HandshakeTest, AFinishedHandshakeIgnoresFurtherInput) {
  server_handshake server(config("node-a"), k_server_nonce);
  client_handshake client(config("node-b"), k_client_nonce);
  run(server, client);
  ASSERT_EQ(server.state(), handshake_state::authenticated);
  EXPECT_FALSE(server.on_message(ping{1}));
  EXPECT_FALSE(server.on_message(auth_refused{refusal::wrong_cookie, ""}));
  EXPECT_EQ(server.state(), handshake_state::authenticated);
  EXPECT_FALSE(client.on_message(hello{}));
  EXPECT_EQ(client.state(), handshake_state::authenticated);
}

TEST(HandshakeTest, ConfigValidation) {
  EXPECT_TRUE(validate(config("node-a")).ok());
  EXPECT_FALSE(validate(config("node-a", "")).ok());
  EXPECT_FALSE(validate(config("")).ok());
}

TEST(HandshakeTest, RandomNoncesHaveTheRightSizeAndDiffer) {
  const std::string a = random_nonce();
  const std::string b = random_nonce();
  EXPECT_EQ(a.size(), k_nonce_size);
  EXPECT_NE(a, b);
}

TEST(HandshakeTest, ProofComparison) {
  const std::string p = filled('p', k_proof_size);
  EXPECT_TRUE(proofs_equal(p, p));
  std::string q = p;
  q.back() = 'q';
  EXPECT_FALSE(proofs_equal(p, q));
  EXPECT_FALSE(proofs_equal(p, p.substr(1)));
}

}  // namespace
}  // namespace ternmq::cluster
