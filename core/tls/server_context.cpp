#include "core/tls/server_context.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl/context.hpp>

namespace core::tls {
namespace {

std::string openssl_reason() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

error fail(const std::string& what) { return error{1, what + ": " + openssl_reason()}; }

// Loads every CRL in a PEM file into the context's verification store and turns CRL checking on.
result<bool> load_crl(SSL_CTX* ctx, const std::string& path) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(path.c_str(), "r"), &BIO_free);
  if (!bio) return fail("crlfile " + path);
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int loaded = 0;
  while (X509_CRL* crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)) {
    X509_STORE_add_crl(store, crl);
    X509_CRL_free(crl);
    ++loaded;
  }
  ERR_clear_error();  // the loop ends on an expected "no start line" error
  if (loaded == 0) return error{1, "crlfile " + path + ": no CRL found"};
  X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
  return true;
}

}  // namespace

result<std::shared_ptr<boost::asio::ssl::context>> make_server_context(const server_options& o) {
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  ERR_clear_error();
  const int min = o.min_version == "tlsv1.3" ? TLS1_3_VERSION : TLS1_2_VERSION;
  SSL_CTX_set_min_proto_version(native, min);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);

  if (SSL_CTX_use_certificate_chain_file(native, o.certfile.c_str()) != 1) return fail("certfile " + o.certfile);
  if (SSL_CTX_use_PrivateKey_file(native, o.keyfile.c_str(), SSL_FILETYPE_PEM) != 1) return fail("keyfile " + o.keyfile);
  if (SSL_CTX_check_private_key(native) != 1) return fail("keyfile " + o.keyfile + " does not match certfile " + o.certfile);
  if (!o.ciphers.empty() && SSL_CTX_set_cipher_list(native, o.ciphers.c_str()) != 1)
    return fail("ciphers '" + o.ciphers + "'");

  int verify = SSL_VERIFY_NONE;
  if (!o.cafile.empty()) {
    if (SSL_CTX_load_verify_locations(native, o.cafile.c_str(), nullptr) != 1) return fail("cafile " + o.cafile);
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(o.cafile.c_str());
    if (names == nullptr) return fail("cafile " + o.cafile);
    SSL_CTX_set_client_CA_list(native, names);
    verify = SSL_VERIFY_PEER;  // a certificate is checked when the client offers one
  }
  if (o.require_certificate) {
    if (o.cafile.empty()) return error{1, "require_certificate needs a cafile to verify client certificates"};
    verify = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  }
  SSL_CTX_set_verify(native, verify, nullptr);
  if (!o.crlfile.empty()) {
    auto crl = load_crl(native, o.crlfile);
    if (!crl) return crl.err();
  }
  return ctx;
}

std::string verified_peer_common_name(void* ssl_ptr) {
  SSL* ssl = static_cast<SSL*>(ssl_ptr);
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return {};
  std::string cn;
  if (SSL_get_verify_result(ssl) == X509_V_OK) {
    char buf[256];
    const int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf, sizeof buf);
    if (n > 0) cn.assign(buf, static_cast<std::size_t>(n));
  }
  X509_free(cert);
  return cn;
}

}  // namespace core::tls
