// Mutual authentication of a new cluster link, as two small state machines fed with decoded
// messages. The `distributed_cookie` never crosses the wire: each side proves it knows the
// cookie with an HMAC over both nonces and both names (proof.hpp).
//
//   server (accepts)                       client (dials)
//   start()            -- hello{v, name, server nonce} -->
//                      <-- auth{name, client nonce, client proof} --
//   checks the proof   -- auth_ok{server proof} -->         checks the proof
//
// Either side that refuses sends `auth_refused{reason}` and closes; the other side, receiving
// it, ends refused with that reason. A finished machine ignores further input: after success
// the link hands messages to the router, after refusal it closes.
//
// Nonces are passed in (proof.hpp's `random_nonce` in production, fixed bytes in tests), so the
// machines are pure. Not thread-safe: one per link, on the link's strand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "broker/cluster/messages.hpp"
#include "core/base/status.hpp"

namespace ternmq::cluster {

struct handshake_config {
  std::string nodename;  // ours
  std::string cookie;    // `distributed_cookie`, shared by every member
  std::uint16_t protocol_version = k_protocol_version;
};

// A usable configuration: a valid node name and a non-empty cookie.
core::status validate(const handshake_config& config);

enum class handshake_state { waiting, authenticated, refused };
const char* to_string(handshake_state s);

// What both machines report once finished.
class handshake_result {
 public:
  handshake_state state() const { return state_; }
  // The authenticated peer's node name. REQUIRES: state() == authenticated.
  const std::string& peer() const { return peer_; }
  // Why it failed, and whether the peer said so (rather than us). REQUIRES: state() == refused.
  refusal reason() const { return reason_; }
  const std::string& detail() const { return detail_; }
  bool refused_by_peer() const { return by_peer_; }

 protected:
  void succeed(std::string peer);
  // Records our refusal and returns the `auth_refused` to send.
  message refuse(refusal reason, std::string detail);
  void peer_refused(const auth_refused& m);

 private:
  handshake_state state_ = handshake_state::waiting;
  std::string peer_;
  refusal reason_ = refusal::unexpected_message;
  std::string detail_;
  bool by_peer_ = false;
};

class server_handshake : public handshake_result {
 public:
  // REQUIRES: validate(config) succeeds; `server_nonce` has k_nonce_size fresh random bytes.
  server_handshake(handshake_config config, std::string server_nonce);

  // The hello to send as soon as the link is accepted.
  message start() const;
  // Feeds the next message from the client; returns the message to send back, if any.
  std::optional<message> on_message(const message& m);

 private:
  std::optional<message> on_auth(const auth& m);

  handshake_config config_;
  std::string nonce_;
};

class client_handshake : public handshake_result {
 public:
  // `expected_peer`, when set, is the node we meant to dial: a server of another name (the
  // address now belongs to someone else) is refused as `unexpected_peer`.
  // REQUIRES: validate(config) succeeds; `client_nonce` has k_nonce_size fresh random bytes.
  client_handshake(handshake_config config, std::string client_nonce,
                   std::optional<std::string> expected_peer = std::nullopt);

  // Feeds the next message from the server; returns the message to send back, if any.
  std::optional<message> on_message(const message& m);

 private:
  std::optional<message> on_hello(const hello& m);
  std::optional<message> on_auth_ok(const auth_ok& m);

  handshake_config config_;
  std::string nonce_;
  std::optional<std::string> expected_peer_;
  bool sent_auth_ = false;
  std::string server_name_;
  std::string server_nonce_;
};

}  // namespace ternmq::cluster
