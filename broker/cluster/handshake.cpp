// The client and server handshake state machines; see handshake.hpp.
#include "broker/cluster/handshake.hpp"

#include <utility>

#include "broker/cluster/metadata_types.hpp"
#include "broker/cluster/proof.hpp"

namespace ternmq::cluster {

core::status validate(const handshake_config& config) {
  if (!is_valid_nodename(config.nodename)) return core::status::failure("invalid node name '" + config.nodename + "'");
  if (config.cookie.empty()) return core::status::failure("distributed_cookie is empty");
  return core::status::success();
}

const char* to_string(handshake_state s) {
  switch (s) {
    case handshake_state::waiting: return "waiting";
    case handshake_state::authenticated: return "authenticated";
    case handshake_state::refused: return "refused";
  }
  return "unknown";
}

void handshake_result::succeed(std::string peer) {
  state_ = handshake_state::authenticated;
  peer_ = std::move(peer);
}

message handshake_result::refuse(refusal reason, std::string detail) {
  state_ = handshake_state::refused;
  reason_ = reason;
  detail_ = std::move(detail);
  return auth_refused{reason, detail_};
}

void handshake_result::peer_refused(const auth_refused& m) {
  state_ = handshake_state::refused;
  reason_ = m.reason;
  detail_ = m.detail;
  by_peer_ = true;
}

// --- server ------------------------------------------------------------------------------------

server_handshake::server_handshake(handshake_config config, std::string server_nonce)
    : config_(std::move(config)), nonce_(std::move(server_nonce)) {}

message server_handshake::start() const { return hello{config_.protocol_version, config_.nodename, nonce_}; }

std::optional<message> server_handshake::on_message(const message& m) {
  if (state() != handshake_state::waiting) return std::nullopt;
  if (const auto* a = std::get_if<auth>(&m)) return on_auth(*a);
  if (const auto* r = std::get_if<auth_refused>(&m)) {
    peer_refused(*r);
    return std::nullopt;
  }
  return refuse(refusal::unexpected_message, std::string("expected auth, got ") + to_string(type_of(m)));
}

std::optional<message> server_handshake::on_auth(const auth& m) {
  if (m.nodename == config_.nodename) return refuse(refusal::own_name, "peer claims our node name " + m.nodename);
  const std::string expected =
      compute_proof(config_.cookie, proof_role::client, nonce_, m.nonce, m.nodename, config_.nodename);
  // Deliberately the same answer for every wrong proof: a forger learns nothing but "no".
  if (!proofs_equal(expected, m.proof)) return refuse(refusal::wrong_cookie, "proof does not match our cookie");
  succeed(m.nodename);
  return auth_ok{compute_proof(config_.cookie, proof_role::server, nonce_, m.nonce, m.nodename, config_.nodename)};
}

// --- client ------------------------------------------------------------------------------------

client_handshake::client_handshake(handshake_config config, std::string client_nonce,
                                   std::optional<std::string> expected_peer)
    : config_(std::move(config)), nonce_(std::move(client_nonce)), expected_peer_(std::move(expected_peer)) {}

std::optional<message> client_handshake::on_message(const message& m) {
  if (state() != handshake_state::waiting) return std::nullopt;
  if (const auto* r = std::get_if<auth_refused>(&m)) {
    peer_refused(*r);
    return std::nullopt;
  }
  if (!sent_auth_) {
    if (const auto* h = std::get_if<hello>(&m)) return on_hello(*h);
    return refuse(refusal::unexpected_message, std::string("expected hello, got ") + to_string(type_of(m)));
  }
  if (const auto* ok = std::get_if<auth_ok>(&m)) return on_auth_ok(*ok);
  return refuse(refusal::unexpected_message, std::string("expected auth_ok, got ") + to_string(type_of(m)));
}

std::optional<message> client_handshake::on_hello(const hello& m) {
  if (m.protocol_version != config_.protocol_version) {
    return refuse(refusal::version_mismatch, "peer speaks cluster protocol " + std::to_string(m.protocol_version) +
                                                 ", we speak " + std::to_string(config_.protocol_version));
  }
  if (m.nodename == config_.nodename) return refuse(refusal::own_name, "peer claims our node name " + m.nodename);
  if (expected_peer_ && m.nodename != *expected_peer_) {
    return refuse(refusal::unexpected_peer, "dialled " + *expected_peer_ + " but reached " + m.nodename);
  }
  sent_auth_ = true;
  server_name_ = m.nodename;
  server_nonce_ = m.nonce;
  return auth{config_.nodename, nonce_,
              compute_proof(config_.cookie, proof_role::client, server_nonce_, nonce_, config_.nodename, server_name_)};
}

std::optional<message> client_handshake::on_auth_ok(const auth_ok& m) {
  const std::string expected =
      compute_proof(config_.cookie, proof_role::server, server_nonce_, nonce_, config_.nodename, server_name_);
  if (!proofs_equal(expected, m.proof)) return refuse(refusal::wrong_cookie, "server proof does not match our cookie");
  succeed(server_name_);
  return std::nullopt;
}

}  // namespace ternmq::cluster
