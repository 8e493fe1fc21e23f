// Pure parser of the HAProxy PROXY protocol header (doc/proxy-protocol.txt), versions 1 (text)
// and 2 (binary), that a trusted load balancer puts in front of the MQTT bytes of a connection.
// Bytes in, a `proxy_header` value out; no I/O, no state kept between calls, no exceptions for
// bad input. Safe to call from any thread.
//
// Incremental by re-feeding: the caller passes every byte received so far from the start of the
// connection and calls again with more on `need_more`. The work per call is bounded: a version 1
// line is at most 107 bytes and a version 2 header is checked against `max_v2_size` as soon as
// its 16-byte fixed part is in, so `need_more` never asks for more than that many bytes; a caller
// that also bounds the time a header may take cannot be held open by a slow or endless peer.
//
// A listener that expects the header must refuse a connection that does not start with one
// (`invalid`): the spec forbids guessing, since that would let any client spoof its address.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace ternmq::transport {

// Address family and transport of the proxied connection (version 2 byte 14; TCP4/TCP6 in v1).
enum class proxy_family : std::uint8_t { unspecified, inet, inet6, unix_socket };
enum class proxy_transport : std::uint8_t { unspecified, stream, datagram };

// What the proxy said about the connection. Addresses are textual and normalised: IPv4 in
// dotted decimal, IPv6 in RFC 5952 form (lower case, longest zero run as "::", IPv4-mapped as
// "::ffff:a.b.c.d"), whichever version carried them. An IPv4 client of a dual-stack IPv6 proxy
// listener arrives as it was accepted there: HAProxy sends "TCP6 ::ffff:a.b.c.d" (v1) or an
// AF_INET6 block holding the mapped address (v2), and it is reported so, family `inet6`.
struct proxy_header {
  int version = 0;  // 1 or 2

  // Keep the real peer: a v2 LOCAL command (the proxy's own health check), a v1 "UNKNOWN" line,
  // or a v2 PROXY command for a family or transport other than TCP over IPv4/IPv6 (UNSPEC, UDP,
  // AF_UNIX), which the spec lets a receiver treat as UNSPEC. Addresses are empty then.
  // (HAProxy's v1 health checks are not "UNKNOWN" but a TCP4/TCP6 line holding the check
  // connection's own endpoints, so they look like a client at the proxy's address.)
  bool local = false;
  proxy_family family = proxy_family::unspecified;
  proxy_transport transport = proxy_transport::unspecified;
  std::string source_address;  // the client, as the proxy saw it
  std::uint16_t source_port = 0;
  std::string destination_address;  // where the client connected (the proxy's listener)
  std::uint16_t destination_port = 0;

  // Version 2 TLVs (only read for TCP over IPv4/IPv6 with the PROXY command). Each may appear
  // at most once; a repeated TLV this parser reads makes the header invalid rather than letting
  // the first or the last one silently win.
  std::optional<std::string> alpn;       // PP2_TYPE_ALPN, raw bytes (e.g. "mqtt")
  std::optional<std::string> authority;  // PP2_TYPE_AUTHORITY: the TLS SNI host name
  std::optional<std::string> unique_id;  // PP2_TYPE_UNIQUE_ID, raw bytes, at most 128
  bool crc32c_verified = false;          // a PP2_TYPE_CRC32C was present and matched

  // PP2_TYPE_SSL: `ssl` when the client spoke TLS to the proxy (PP2_CLIENT_SSL).
  // `ssl_client_cert` when it presented a certificate on this connection or its TLS session
  // (PP2_CLIENT_CERT_CONN or PP2_CLIENT_CERT_SESS); `ssl_cert_verified` when it also passed the
  // proxy's verification (`verify` == 0). `verify` alone proves nothing: HAProxy sends 0 for a
  // TLS client that presented no certificate at all, against the spec's wording. Use the common
  // name as an identity only when `ssl_cert_verified`: HAProxy also sends the CN of a certificate
  // that failed verification but was let through (`verify optional` with `ca-ignore-err`).
  bool ssl_tlv = false;  // the TLV was present at all
  bool ssl = false;
  bool ssl_client_cert = false;
  bool ssl_cert_verified = false;
  std::uint8_t ssl_client_flags = 0;  // the raw `client` bit field
  std::uint32_t ssl_verify = 0;       // the raw `verify` field (an X509_V_ERR_* code for HAProxy)
  std::optional<std::string> ssl_version;      // PP2_SUBTYPE_SSL_VERSION, e.g. "TLSv1.3"
  std::optional<std::string> ssl_common_name;  // PP2_SUBTYPE_SSL_CN, never contains a NUL byte
  std::optional<std::string> ssl_cipher;       // PP2_SUBTYPE_SSL_CIPHER
  std::optional<std::string> ssl_sig_alg;      // PP2_SUBTYPE_SSL_SIG_ALG
  std::optional<std::string> ssl_key_alg;      // PP2_SUBTYPE_SSL_KEY_ALG

  bool operator==(const proxy_header&) const = default;
};

enum class proxy_parse_status { need_more, complete, invalid };

struct proxy_parse_result {
  proxy_parse_status status = proxy_parse_status::need_more;
  // On `complete`: the header's length; the MQTT bytes start there. 0 otherwise.
  std::size_t consumed = 0;
  // On `need_more`: the fewest bytes in total worth calling again with (exact once a version 2
  // fixed header is in; one more than given otherwise).
  std::size_t needed = 0;
  proxy_header header;  // meaningful on `complete` only
  std::string error;    // on `invalid`: a short reason for the log
};

inline constexpr std::size_t k_proxy_v1_max_line = 107;           // including the CRLF
inline constexpr std::size_t k_proxy_v2_fixed_size = 16;          // signature, ver_cmd, fam, len
inline constexpr std::size_t k_proxy_v2_max_size = 16 + 0xFFFF;  // what the length field allows

// Parses the header at the start of `data` (`size` bytes received so far on the connection).
// `max_v2_size` caps a version 2 header (fixed part, addresses and TLVs): a longer one is
// `invalid` as soon as its length field is read. Values above `k_proxy_v2_max_size` act as it.
// A version 1 line is always capped at `k_proxy_v1_max_line`.
proxy_parse_result parse_proxy_header(const std::uint8_t* data, std::size_t size,
                                      std::size_t max_v2_size = k_proxy_v2_max_size);

// CRC-32C (Castagnoli, RFC 4960 appendix B) as PP2_TYPE_CRC32C uses it; exposed for tests.
std::uint32_t proxy_crc32c(const std::uint8_t* data, std::size_t size);

}  // namespace ternmq::transport
