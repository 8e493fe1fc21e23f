// HMAC proofs, their comparison and nonces for the cluster handshake; see proof.hpp.
#include "broker/cluster/proof.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdlib>

#include "broker/cluster/messages.hpp"
#include "broker/cluster/wire.hpp"

namespace ternmq::cluster {

std::string compute_proof(std::string_view cookie, proof_role role, std::string_view server_nonce,
                          std::string_view client_nonce, std::string_view client_nodename,
                          std::string_view server_nodename) {
  std::string input = role == proof_role::client ? "ternmq-cluster-v1 client" : "ternmq-cluster-v1 server";
  wire_writer w(input);
  // Nonces are k_nonce_size bytes and node names at most 255: each fits its u16 prefix.
  w.bytes16(server_nonce);
  w.bytes16(client_nonce);
  w.bytes16(client_nodename);
  w.bytes16(server_nodename);

  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  const unsigned char* done =
      HMAC(EVP_sha256(), cookie.data(), static_cast<int>(cookie.size()), reinterpret_cast<const unsigned char*>(input.data()),
           input.size(), digest, &size);
  // HMAC-SHA256 only fails when OpenSSL itself is broken; no proof could be trusted then.
  if (done == nullptr || size != k_proof_size) std::abort();
  return std::string(reinterpret_cast<const char*>(digest), size);
}

bool proofs_equal(std::string_view a, std::string_view b) {
  // The length of a proof is public (always k_proof_size); only the bytes need constant time.
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_nonce() {
  std::string nonce(k_nonce_size, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), static_cast<int>(nonce.size())) != 1) {
    // A predictable nonce would make proofs replayable; better to stop than to go on.
    std::abort();
  }
  return nonce;
}

}  // namespace ternmq::cluster
