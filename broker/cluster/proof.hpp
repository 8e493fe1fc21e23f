// The cryptography of the cluster handshake: HMAC-SHA256 proofs of knowing the
// `distributed_cookie`, their constant-time comparison, and fresh nonces.
//
//   proof = HMAC-SHA256(cookie, label | field(server nonce) | field(client nonce)
//                                     | field(client nodename) | field(server nodename))
//   label = "ternmq-cluster-v1 client" or "ternmq-cluster-v1 server"
//   field(x) = u16 big-endian length of x | x
//
// The length prefixes make the input unambiguous ("ab" + "c" differs from "a" + "bc"); the
// label binds a proof to its direction, so one side's proof can never be reflected back as the
// other's. Both nonces are in every proof, so neither side can replay an old one.
#pragma once

#include <string>
#include <string_view>

namespace ternmq::cluster {

enum class proof_role { client, server };

// The proof that `role` sends. Returns k_proof_size bytes.
std::string compute_proof(std::string_view cookie, proof_role role, std::string_view server_nonce,
                          std::string_view client_nonce, std::string_view client_nodename,
                          std::string_view server_nodename);

// Equality in time independent of where the inputs differ (CRYPTO_memcmp), so that timing
// does not leak how much of a forged proof was right.
bool proofs_equal(std::string_view a, std::string_view b);

// k_nonce_size bytes from OpenSSL's CSPRNG. The one function of the cluster core that reaches
// outside: the wiring calls it and passes the nonce to the handshake, which never does.
std::string random_nonce();

}  // namespace ternmq::cluster
