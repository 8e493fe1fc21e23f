// Builds an OpenSSL server context for a TLS listener. Every failure names the file or setting
// that caused it, so a bad certificate or unreadable key stops the broker with a clear reason.
#pragma once

#include <memory>
#include <string>

#include "core/base/result.hpp"

namespace boost::asio::ssl {
class context;
}

namespace core::tls {

struct server_options {
  std::string certfile;
  std::string keyfile;
  std::string cafile;
  std::string crlfile;
  std::string ciphers;
  std::string min_version = "tlsv1.2";  // tlsv1.2 or tlsv1.3
  bool require_certificate = false;
};

result<std::shared_ptr<boost::asio::ssl::context>> make_server_context(const server_options& options);

// The subject CN of the verified peer certificate of `ssl` (an SSL*), or empty.
std::string verified_peer_common_name(void* ssl);

}  // namespace core::tls
