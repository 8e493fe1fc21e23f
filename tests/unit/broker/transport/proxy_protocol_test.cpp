// Tests for the PROXY protocol parser (HAProxy doc/proxy-protocol.txt): version 1 lines and
// version 2 binary headers built by hand, every prefix of every valid header (`need_more`, never
// `invalid`), malformed and hostile input, and headers captured from a real HAProxy 2.6
// (tests/data/proxy/, made by capture_haproxy.py there).
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "broker/transport/proxy_protocol.hpp"

namespace ternmq::transport {
namespace {

using bytes = std::vector<std::uint8_t>;

bytes to_bytes(const std::string& s) { return bytes(s.begin(), s.end()); }

bytes concat(bytes a, const bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Parses a copy of exactly `size` bytes, so AddressSanitizer sees any read past the end.
proxy_parse_result parse(const bytes& b, std::size_t size, std::size_t max = k_proxy_v2_max_size) {
  const bytes copy(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(size));
  return parse_proxy_header(copy.data(), copy.size(), max);
}
proxy_parse_result parse(const bytes& b) { return parse(b, b.size()); }
proxy_parse_result parse(const std::string& s) { return parse(to_bytes(s)); }

// An MQTT 3.1.1 CONNECT with client id "pp": what follows the header on a real connection.
const bytes k_connect = {0x10, 0x0E, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x02, 'p', 'p'};

// --- version 2 builders --------------------------------------------------------------------

const bytes k_signature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

bytes be16(std::size_t v) { return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v & 0xFF)}; }
bytes be32(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
          static_cast<std::uint8_t>(v)};
}

bytes tlv(std::uint8_t type, const bytes& value) { return concat(concat({type}, be16(value.size())), value); }
bytes tlv(std::uint8_t type, const std::string& value) { return tlv(type, to_bytes(value)); }

bytes ssl_tlv(std::uint8_t client, std::uint32_t verify, const bytes& sub_tlvs) {
  return tlv(0x20, concat(concat({client}, be32(verify)), sub_tlvs));
}

// Signature, `ver_cmd`, `fam`, the length of `body`, then `body` (addresses and TLVs).
bytes v2(std::uint8_t ver_cmd, std::uint8_t fam, const bytes& body) {
  return concat(concat(concat(k_signature, {ver_cmd, fam}), be16(body.size())), body);
}

// TCP over IPv4 192.0.2.1:49152 -> 198.51.100.7:1883.
const bytes k_inet_addresses = {192, 0, 2, 1, 198, 51, 100, 7, 0xC0, 0x00, 0x07, 0x5B};

bytes v2_tcp4(const bytes& tlvs = {}) { return v2(0x21, 0x11, concat(k_inet_addresses, tlvs)); }

// --- version 1 -----------------------------------------------------------------------------

TEST(ProxyV1Test, ParsesTcp4) {
  const auto r = parse(concat(to_bytes("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"), k_connect));
  ASSERT_EQ(r.status, proxy_parse_status::complete) << r.error;
  EXPECT_EQ(r.consumed, 47U);
  EXPECT_EQ(r.header.version, 1);
  EXPECT_FALSE(r.header.local);
  EXPECT_EQ(r.header.family, proxy_family::inet);
  EXPECT_EQ(r.header.transport, proxy_transport::stream);
  EXPECT_EQ(r.header.source_address, "192.168.0.1");
  EXPECT_EQ(r.header.source_port, 56324);
  EXPECT_EQ(r.header.destination_address, "192.168.0.11");
  EXPECT_EQ(r.header.destination_port, 443);
  EXPECT_FALSE(r.header.ssl);
  EXPECT_FALSE(r.header.ssl_common_name);
}

TEST(ProxyV1Test, ParsesTcp4Extremes) {
  const auto r = parse(std::string("PROXY TCP4 255.255.255.255 0.0.0.0 65535 0\r\n"));
  ASSERT_EQ(r.status, proxy_parse_status::complete) << r.error;
  EXPECT_EQ(r.header.source_address, "255.255.255.255");
  EXPECT_EQ(r.header.destination_address, "0.0.0.0");
  EXPECT_EQ(r.header.source_port, 65535);
  EXPECT_EQ(r.header.destination_port, 0);
}

TEST(ProxyV1Test, ParsesTcp6AndNormalisesAddresses) {
  const auto r = parse(std::string("PROXY TCP6 2001:DB8:0:0:0:0:0:1 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 1 65535\r\n"));
  ASSERT_EQ(r.status, proxy_parse_status::complete) << r.error;
  EXPECT_EQ(r.header.family, proxy_family::inet6);
  EXPECT_EQ(r.header.source_address, "2001:db8::1");
  EXPECT_EQ(r.header.destination_address, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_EQ(r.header.source_port, 1);
  EXPECT_EQ(r.header.destination_port, 65535);
}

TEST(ProxyV1Test, ParsesTcp6CompressedAndMappedForms) {
  struct one {
    std::string text, normalised;
  };
  for (const auto& c : std::vector<one>{{"::", "::"},
                                        {"::1", "::1"},
                                        {"1::", "1::"},
                                        {"0001:0db8:0000:0000:0001:0000:0000:0001", "1:db8::1:0:0:1"},
                                        {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},
                                        {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"},
                                        {"::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"},
                                        {"::ffff:127.0.0.1", "::ffff:127.0.0.1"},
                                        {"::FFFF:7f00:1", "::ffff:127.0.0.1"},
                                        {"64:ff9b::192.0.2.33", "64:ff9b::c000:221"}}) {
    SCOPED_TRACE(c.text);
    const auto r = parse("PROXY TCP6 " + c.text + " ::1 1 2\r\n");
    ASSERT_EQ(r.status, proxy_parse_status::complete) << r.error;
    EXPECT_EQ(r.header.source_address, c.normalised);
  }
}

TEST(ProxyV1Test, UnknownKeepsTheRealPeer) {
  for (const std::string line : {"PROXY UNKNOWN\r\n", "PROXY UNKNOWN ffff:f::f:ffff ffff:f::f:ffff 65535 65535\r\n",
                                 "PROXY UNKNOWN anything \x01\xFF at all\r\n"}) {
    SCOPED_TRACE(line);
    const auto r = parse(concat(to_bytes(line), k_connect));
    ASSERT_EQ(r.status, proxy_parse_status::complete) << r.error;
    EXPECT_EQ(r.consumed, line.size());
    EXPECT_EQ(r.header.version, 1);
    EXPECT_TRUE(r.header.local);
    EXPECT_EQ(r.header.family, proxy_family::unspecified);
    EXPECT_TRUE(r.header.source_address.empty());
  }
}

TEST(ProxyV1Test, AcceptsTheSpecsWorstCaseOf107Bytes) {
  const std::string f39 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
  const std::string unknown = "PROXY UNKNOWN " + f39 + " " + f39 + " 65535 65535\r\n";
  ASSERT_EQ(unknown.size(), 107U);
  EXPECT_EQ(parse(unknown).status, proxy_parse_status::complete);
  const std::string tcp6 = "PROXY TCP6 " + f39 + " " + f39 + " 65535 65535\r\n";
  ASSERT_EQ(tcp6.size(), 104U);
  EXPECT_EQ(parse(tcp6).status, proxy_parse_status::complete);
}

TEST(ProxyV1Test, RejectsALineLongerThan107Bytes) {
  const std::string line = "PROXY UNKNOWN " + std::string(92, 'x') + "\r\n";  // 108 bytes
  ASSERT_EQ(line.size(), 108U);
  EXPECT_EQ(parse(line).status, proxy_parse_status::invalid);
  // Decided as soon as the CRLF can no longer fit, without waiting for more bytes.
  const std::string endless = "PROXY UNKNOWN " + std::string(5000, 'x');
  for (std::size_t n : {106U, 107U, 500U, 5014U}) {
    SCOPED_TRACE(n);
    const auto r = parse(to_bytes(endless), n);
    EXPECT_EQ(r.status, proxy_parse_status::invalid);
    EXPECT_EQ(r.error, "PROXY v1: no CRLF within 107 bytes");
  }
  EXPECT_EQ(parse(to_bytes(endless), 105).status, proxy_parse_status::need_more);
}

TEST(ProxyV1Test, RejectsMalformedLines) {
  for (const std::string line : {
           // signature, protocol and separators
           "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n", "PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n", "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n",
           "PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n", "PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n", "PROXY UNKNOWNX\r\n", "PROXY \r\n",
           "PROXY\r\n", "PROXY TCP4\r\n", "PROXY TCP4 \r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n",
           "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", "PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n",
           "PROXY TCP4 1.2.3.4\t5.6.7.8 1 2\r\n", " PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n",
           // line ends
           "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n\r",
           "PROXY UNKNOWN\n", "PROXY UNKNOWN \n\r\n", "PROXY UNKNOWN \r\r\n",
           // ports
           "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 1 99999\r\n",
           "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 1 -2\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 +1 2\r\n",
           "PROXY TCP4 1.2.3.4 5.6.7.8 1a 2\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 000001 2\r\n",
           "PROXY TCP4 1.2.3.4 5.6.7.8 0x10 2\r\n",
           // IPv4 addresses
           "PROXY TCP4 256.2.3.4 5.6.7.8 1 2\r\n", "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n", "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n",
           "PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2\r\n", "PROXY TCP4 1..3.4 5.6.7.8 1 2\r\n", "PROXY TCP4 1.2.3.4. 5.6.7.8 1 2\r\n",
           "PROXY TCP4 .1.2.3 5.6.7.8 1 2\r\n", "PROXY TCP4 1.2.3.a 5.6.7.8 1 2\r\n", "PROXY TCP4 1.2.3.1000 5.6.7.8 1 2\r\n",
           "PROXY TCP4 ::1 5.6.7.8 1 2\r\n", "PROXY TCP4 1.2.3.4 localhost 1 2\r\n",
           // IPv6 addresses, and families that do not match
           "PROXY TCP6 1.2.3.4 ::1 1 2\r\n", "PROXY TCP6 ::1 5.6.7.8 1 2\r\n", "PROXY TCP6 ::: ::1 1 2\r\n",
           "PROXY TCP6 1::2::3 ::1 1 2\r\n", "PROXY TCP6 1:2:3:4:5:6:7 ::1 1 2\r\n", "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n",
           "PROXY TCP6 1:2:3:4:5:6:7:8:: ::1 1 2\r\n", "PROXY TCP6 12345:: ::1 1 2\r\n", "PROXY TCP6 :1:2:3:4:5:6:7 ::1 1 2\r\n",
           "PROXY TCP6 1:2:3:4:5:6:7: ::1 1 2\r\n", "PROXY TCP6 g::1 ::1 1 2\r\n", "PROXY TCP6 [::1] ::1 1 2\r\n",
           "PROXY TCP6 ::1%lo ::1 1 2\r\n", "PROXY TCP6 ::ffff:1.2.3 ::1 1 2\r\n", "PROXY TCP6 ::ffff:1.2.3.4:5 ::1 1 2\r\n",
           "PROXY TCP6 1:2:3:4:5:6:7:1.2.3.4 ::1 1 2\r\n", "PROXY TCP6 ::ffff:01.2.3.4 ::1 1 2\r\n",
       }) {
    SCOPED_TRACE(line);
    const auto r = parse(line);
    EXPECT_EQ(r.status, proxy_parse_status::invalid);
    EXPECT_FALSE(r.error.empty());
    EXPECT_EQ(r.consumed, 0U);
  }
}

TEST(ProxyV1Test, RejectsGarbageBeforeTheLineEnds) {
  // A listener learns early that a peer is not sending a PROXY line, without waiting for 107 bytes.
  for (const std::string start : {"PROXY X", "PROXY TCP4 localhost", "PROXY TCP4 1.2.3.4  ", "PROXY TCP4 01.2.3.4 ",
                                  "PROXY TCP6 ::g", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3", "PROXY TCP4 1.2.3.4 5.6.7.8 1234567",
                                  "PROXY UNKNOWNN", "PROXYX"}) {
    SCOPED_TRACE(start);
    EXPECT_EQ(parse(start).status, proxy_parse_status::invalid);
  }
}

TEST(ProxyV1Test, NeedsMoreUntilTheCrlf) {
  const std::string line = "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n";
  for (std::size_t n = 0; n < line.size(); ++n) {
    const auto r = parse(to_bytes(line), n);
    ASSERT_EQ(r.status, proxy_parse_status::need_more) << n << ": " << r.error;
    EXPECT_EQ(r.needed, n + 1);
    EXPECT_EQ(r.consumed, 0U);
  }
}

// --- version 2 -----------------------------------------------------------------------------

TEST(ProxyV2Test, ParsesProxyTcp4) {
  const auto header = v2_tcp4();
  const auto r = parse(concat(header, k_connect));
  ASSERT_EQ(r.status, proxy_parse_status::complete) << r.error;
  EXPECT_EQ(r.consumed, 28U);
  EXPECT_EQ(r.header.version, 2);
  EXPECT_FALSE(r.header.local);
  EXPECT_EQ(r.header.family, proxy_family::inet);
  EXPECT_EQ(r.header.transport, proxy_transport::stream);
  EXPECT_EQ(r.header.source_address, "192.0.2.1");
  EXPECT_EQ(r.header.source_port, 49152);
  EXPECT_EQ(r.header.destination_address, "198.51.100.7");
  EXPECT_EQ(r.header.destination_port, 1883);
  EXPECT_FALSE(r.header.ssl_tlv);
  EXPECT_FALSE(r.header.crc32c_verified);
}

TEST(ProxyV2Test, ParsesProxyTcp6) {
  bytes addresses = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};
  addresses = concat(addresses, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 10, 0, 0, 1});
  addresses = concat(addresses, {0x00, 0x50, 0x22, 0xB3});
  const auto r = parse(concat(v2(0x21, 0x21, addresses), k_connect));
  ASSERT_EQ(r.status, proxy_parse_status::complete) << r.error;
  EXPECT_EQ(r.consumed, 52U);
  EXPECT_EQ(r.header.family, proxy_family::inet6);
  EXPECT_EQ(r.header.source_address, "2001:db8::1");
  EXPECT_EQ(r.header.destination_address, "::ffff:10.0.0.1");
  EXPECT_EQ(r.header.source_port, 80);
  EXPECT_EQ(r.header.destination_port, 8883);
}

TEST(ProxyV2Test, LocalCommandKeepsTheRealPeerAndSkipsItsBlock) {
  for (const auto& header : {v2(0x20, 0x00, {}), v2(0x20, 0x11, k_inet_addresses),
                             v2(0x20, 0xFF, {1, 2, 3}),  // LOCAL ignores the family byte and the block
                             v2(0x20, 0x00, bytes(500, 0xAB))}) {
    const auto r = parse(concat(header, k_connect));
    ASSERT_EQ(r.status, proxy_parse_status::complete) << r.error;
    EXPECT_EQ(r.consumed, header.size());
    EXPECT_EQ(r.header.version, 2);
    EXPECT_TRUE(r.header.local);
    EXPECT_EQ(r.header.family, proxy_family::unspecified);
    EXPECT_TRUE(r.header.source_address.empty());
  }
}

TEST(ProxyV2Test, OtherFamiliesAndTransportsFallBackToLocal) {
  struct one {
    std::uint8_t fam;
    std::size_t block;
    proxy_family family;
    proxy_transport transport;
  };
  for (const auto& c : std::vector<one>{{0x00, 0, proxy_family::unspecified, proxy_transport::unspecified},
                                        {0x00, 40, proxy_family::unspecified, proxy_transport::unspecified},
                                        {0x12, 12, proxy_family::inet, proxy_transport::datagram},
                                        {0x22, 36, proxy_family::inet6, proxy_transport::datagram},
                                        {0x31, 216, proxy_family::unix_socket, proxy_transport::stream},
                                        {0x32, 216, proxy_family::unix_socket, proxy_transport::datagram},
                                        {0x10, 0, proxy_family::inet, proxy_transport::unspecified}}) {
    SCOPED_TRACE(int{c.fam});
    const auto header = v2(0x21, c.fam, bytes(c.block, 0x01));
    const auto r = parse(concat(header, k_connect));
    ASSERT_EQ(r.status, proxy_parse_status::complete) << r.error;
    EXPECT_EQ(r.consumed, header.size());
    EXPECT_TRUE(r.header.local);
    EXPECT_EQ(r.header.family, c.family);
    EXPECT_EQ(r.header.transport, c.transport);
    EXPECT_TRUE(r.header.source_address.empty());
  }
}

TEST(ProxyV2Test, RejectsBadFixedHeaders) {
  struct one {
    bytes header;
    std::string error;
  };
  for (const auto& c : std::vector<one>{
           {v2(0x11, 0x11, k_inet_addresses), "PROXY v2: unsupported version"},
           {v2(0x31, 0x11, k_inet_addresses), "PROXY v2: unsupported version"},
           {v2(0x22, 0x11, k_inet_addresses), "PROXY v2: unknown command"},
           {v2(0x2F, 0x11, k_inet_addresses), "PROXY v2: unknown command"},
           {v2(0x21, 0x41, k_inet_addresses), "PROXY v2: bad address family or transport"},
           {v2(0x21, 0x13, k_inet_addresses), "PROXY v2: bad address family or transport"},
           {v2(0x21, 0x11, bytes(11, 0)), "PROXY v2: address block too short"},
           {v2(0x21, 0x21, bytes(35, 0)), "PROXY v2: address block too short"},
           {v2(0x21, 0x31, bytes(215, 0)), "PROXY v2: address block too short"},
           {v2(0x21, 0x12, bytes(0, 0)), "PROXY v2: address block too short"},
       }) {
    SCOPED_TRACE(c.error);
    const auto r = parse(concat(c.header, k_connect));
    EXPECT_EQ(r.status, proxy_parse_status::invalid);
    EXPECT_EQ(r.error, c.error);
  }
}

TEST(ProxyV2Test, DecidesTheSizeFromTheFixedHeaderAlone) {
  // A length announcing 64 KiB: `need_more` asks for exactly that much, never more...
  const auto big = v2(0x21, 0x11, concat(k_inet_addresses, tlv(0x04, bytes(0xFFFF - 12 - 3, 0))));
  ASSERT_EQ(big.size(), k_proxy_v2_max_size);
  for (std::size_t n : {16U, 17U, 30U, 1000U, 65550U}) {
    const auto r = parse(big, n);
    ASSERT_EQ(r.status, proxy_parse_status::need_more);
    EXPECT_EQ(r.needed, k_proxy_v2_max_size);
  }
  EXPECT_EQ(parse(big).status, proxy_parse_status::complete);
  // ...and a caller's lower cap refuses it as soon as the 16 fixed bytes are in.
  auto r = parse(big, 16, 4096);
  EXPECT_EQ(r.status, proxy_parse_status::invalid);
  EXPECT_EQ(r.error, "PROXY v2: header over the size limit");
  EXPECT_EQ(parse(v2_tcp4(), 28, 28).status, proxy_parse_status::complete);
  EXPECT_EQ(parse(v2_tcp4(), 16, 27).status, proxy_parse_status::invalid);
}

TEST(ProxyV2Test, ReadsSslTlvWithVerifiedClientCertificate) {
  const auto header = v2_tcp4(ssl_tlv(0x07, 0, concat(tlv(0x21, "TLSv1.3"), tlv(0x22, "sensor-42"))));
  const auto r = parse(concat(header, k_connect));
  ASSERT_EQ(r.status, proxy_parse_status::complete) << r.error;
  EXPECT_EQ(r.consumed, header.size());
  EXPECT_TRUE(r.header.ssl_tlv);
  EXPECT_TRUE(r.header.ssl);
  EXPECT_TRUE(r.header.ssl_client_cert);
  EXPECT_TRUE(r.header.ssl_cert_verified);
  EXPECT_EQ(r.header.ssl_client_flags, 0x07);
  EXPECT_EQ(r.header.ssl_verify, 0U);
  EXPECT_EQ(r.header.ssl_version, "TLSv1.3");
  EXPECT_EQ(r.header.ssl_common_name, "sensor-42");
  EXPECT_EQ(r.header.source_address, "192.0.2.1");
}

TEST(ProxyV2Test, SslClientCertificateFlagsAndVerifyResult) {
  struct one {
    std::uint8_t client;
    std::uint32_t verify;
    bool ssl, cert, verified;
  };
  for (const auto& c : std::vector<one>{{0x00, 0, false, false, false},    // TLV sent for a plain connection
                                        {0x01, 0, true, false, false},     // TLS, no certificate: verify is 0 anyway
                                        {0x03, 0, true, true, true},       // certificate on this connection
                                        {0x05, 0, true, true, true},       // certificate earlier in the session
                                        {0x07, 18, true, true, false},     // self-signed, let through by the proxy
                                        {0x07, 1, true, true, false}}) {
    SCOPED_TRACE(int{c.client});
    const auto r = parse(v2_tcp4(ssl_tlv(c.client, c.verify, tlv(0x22, "cn"))));
    ASSERT_EQ(r.status, proxy_parse_status::complete) << r.error;
    EXPECT_EQ(r.header.ssl, c.ssl);
    EXPECT_EQ(r.header.ssl_client_cert, c.cert);
    EXPECT_EQ(r.header.ssl_cert_verified, c.verified);
    EXPECT_EQ(r.header.ssl_verify, c.verify);
    EXPECT_EQ(r.header.ssl_common_name, "cn");
  }
}

TEST(ProxyV2Test, ReadsEveryKnownTlv) {
  const bytes sub = concat(concat(concat(tlv(0x21, "TLSv1.2"), tlv(0x23, "ECDHE-RSA-AES128-GCM-SHA256")),
                                  concat(tlv(0x24, "RSA-SHA256"), tlv(0x25, "RSA2048"))),
                           concat(tlv(0x26, "x25519"), tlv(0x22, "")));  // an unknown sub-TLV, an empty CN
  const bytes tlvs = concat(concat(concat(tlv(0x01, "mqtt"), tlv(0x02, "broker.example")), tlv(0x04, bytes(5, 0))),
                            concat(concat(tlv(0x05, bytes(128, 'u')), tlv(0x30, "netns")),
                                   concat(concat(tlv(0xE0, "custom"), tlv(0xF8, bytes{})), ssl_tlv(0x01, 0, sub))));
  const auto r = parse(v2_tcp4(tlvs));
  ASSERT_EQ(r.status, proxy_parse_status::complete) << r.error;
  EXPECT_EQ(r.header.alpn, "mqtt");
  EXPECT_EQ(r.header.authority, "broker.example");
  EXPECT_EQ(r.header.unique_id, std::string(128, 'u'));
  EXPECT_EQ(r.header.ssl_version, "TLSv1.2");
  EXPECT_EQ(r.header.ssl_cipher, "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_EQ(r.header.ssl_sig_alg, "RSA-SHA256");
  EXPECT_EQ(r.header.ssl_key_alg, "RSA2048");
  EXPECT_EQ(r.header.ssl_common_name, "");
}

TEST(ProxyV2Test, RejectsMalformedTlvs) {
  struct one {
    bytes tlvs;
    std::string error;
  };
  for (const auto& c : std::vector<one>{
           {{0x04}, "PROXY v2: truncated TLV"},
           {{0x04, 0x00}, "PROXY v2: truncated TLV"},
           {{0x04, 0x00, 0x01}, "PROXY v2: TLV overruns the header"},
           {{0x02, 0xFF, 0xFF, 'a'}, "PROXY v2: TLV overruns the header"},
           {concat(tlv(0x04, bytes{}), {0x20, 0x00}), "PROXY v2: truncated TLV"},
           {tlv(0x20, bytes{0x01, 0, 0, 0}), "PROXY v2: short SSL TLV"},
           {ssl_tlv(0x01, 0, {0x22, 0x00, 0x05, 'a'}), "PROXY v2: TLV overruns the header"},
           {ssl_tlv(0x01, 0, {0x22, 0x00}), "PROXY v2: truncated TLV"},
           {ssl_tlv(0x07, 0, concat(tlv(0x22, "a"), tlv(0x22, "b"))), "PROXY v2: repeated SSL CN TLV"},
           {ssl_tlv(0x07, 0, tlv(0x22, std::string("ok\0evil", 7))), "PROXY v2: NUL in SSL CN TLV"},
           {concat(ssl_tlv(0x01, 0, {}), ssl_tlv(0x07, 0, tlv(0x22, "b"))), "PROXY v2: repeated SSL TLV"},
           {concat(tlv(0x02, "a"), tlv(0x02, "b")), "PROXY v2: repeated authority TLV"},
           {tlv(0x02, std::string("a\0b", 3)), "PROXY v2: NUL in authority TLV"},
           {tlv(0x05, bytes(129, 'u')), "PROXY v2: unique ID over 128 bytes"},
           {tlv(0x03, bytes{0, 0, 0}), "PROXY v2: CRC32C TLV is not 4 bytes"},
       }) {
    SCOPED_TRACE(c.error);
    const auto r = parse(concat(v2_tcp4(c.tlvs), k_connect));
    EXPECT_EQ(r.status, proxy_parse_status::invalid);
    EXPECT_EQ(r.error, c.error);
  }
}

TEST(ProxyV2Test, ChecksCrc32c) {
  const std::string check = "123456789";  // RFC 3720 B.4 check value
  EXPECT_EQ(proxy_crc32c(reinterpret_cast<const std::uint8_t*>(check.data()), check.size()), 0xE3069283U);

  auto header = v2_tcp4(concat(tlv(0x03, bytes(4, 0)), tlv(0x02, "broker.example")));
  const std::uint32_t crc = proxy_crc32c(header.data(), header.size());
  const std::size_t field = 16 + 12 + 3;
  for (std::size_t i = 0; i < 4; ++i) header[field + i] = static_cast<std::uint8_t>(crc >> (24 - 8 * i));
  auto r = parse(header);
  ASSERT_EQ(r.status, proxy_parse_status::complete) << r.error;
  EXPECT_TRUE(r.header.crc32c_verified);

  // Any bit of the addresses or TLVs. (A changed command or family can turn the header into LOCAL
  // or UNSPEC, whose block is ignored unread, checksum included, as the spec has it.)
  for (std::size_t i : {std::size_t{16}, std::size_t{27}, field, header.size() - 1}) {
    auto bad = header;
    bad[i] ^= 0x01;
    SCOPED_TRACE(i);
    r = parse(bad);
    EXPECT_EQ(r.status, proxy_parse_status::invalid);
  }
  auto twice = v2_tcp4(concat(tlv(0x03, bytes(4, 0)), tlv(0x03, bytes(4, 0))));
  EXPECT_EQ(parse(twice).status, proxy_parse_status::invalid);
}

// --- what is not a PROXY header at all -----------------------------------------------------

TEST(ProxyDetectTest, RejectsOtherProtocolsFromTheirFirstBytes) {
  struct one {
    bytes data;
    std::size_t decided_at;  // bytes after which the parser knows
  };
  for (const auto& c : std::vector<one>{{k_connect, 1},
                                        {to_bytes("GET /mqtt HTTP/1.1\r\n"), 1},
                                        {to_bytes("POST / HTTP/1.1\r\n"), 2},
                                        {to_bytes("PROXX TCP4"), 5},
                                        {{0x16, 0x03, 0x01, 0x02, 0x00}, 1},  // TLS ClientHello
                                        {{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 'Q', 'U', 'I', 'X'}, 11},
                                        {to_bytes("\r\n\r\nhello"), 5},
                                        {{0x00}, 1}}) {
    for (std::size_t n = 1; n <= c.data.size(); ++n) {
      const auto r = parse(c.data, n);
      EXPECT_EQ(r.status, n < c.decided_at ? proxy_parse_status::need_more : proxy_parse_status::invalid) << n;
    }
  }
  EXPECT_EQ(parse(bytes{}).status, proxy_parse_status::need_more);
  EXPECT_EQ(parse(k_connect).error, "not a PROXY protocol header");
}

// Valid headers of every kind, for the properties below.
std::vector<bytes> valid_headers() {
  const std::string f39 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
  std::vector<bytes> out = {
      to_bytes("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"),
      to_bytes("PROXY TCP4 0.0.0.0 255.255.255.255 0 65535\r\n"),
      to_bytes("PROXY TCP6 ::ffff:127.0.0.1 2001:db8::1 1 2\r\n"),
      to_bytes("PROXY TCP6 " + f39 + " " + f39 + " 65535 65535\r\n"),
      to_bytes("PROXY UNKNOWN\r\n"),
      to_bytes("PROXY UNKNOWN " + f39 + " " + f39 + " 65535 65535\r\n"),
      v2_tcp4(),
      v2(0x20, 0x00, {}),
      v2(0x21, 0x21, bytes(36, 0x11)),
      v2(0x21, 0x31, bytes(216, 0x2F)),
      v2_tcp4(ssl_tlv(0x07, 0, concat(tlv(0x21, "TLSv1.3"), tlv(0x22, "sensor-42")))),
      v2_tcp4(concat(tlv(0x02, "broker.example"), tlv(0x05, bytes(16, 7)))),
  };
  return out;
}

TEST(ProxyIncrementalTest, EveryPrefixOfAValidHeaderNeedsMore) {
  for (const auto& header : valid_headers()) {
    const auto with_payload = concat(header, k_connect);
    for (std::size_t n = 0; n < header.size(); ++n) {
      const auto r = parse(with_payload, n);
      ASSERT_EQ(r.status, proxy_parse_status::need_more) << "prefix " << n << " of " << header.size() << ": " << r.error;
      EXPECT_GT(r.needed, n);
      EXPECT_LE(r.needed, header.size());
      EXPECT_EQ(r.consumed, 0U);
    }
    for (std::size_t n = header.size(); n <= with_payload.size(); ++n) {  // the MQTT bytes are never taken
      const auto r = parse(with_payload, n);
      ASSERT_EQ(r.status, proxy_parse_status::complete) << r.error;
      EXPECT_EQ(r.consumed, header.size());
    }
  }
}

TEST(ProxyIncrementalTest, MutatedHeadersNeverCrashOrOverrun) {
  // Every byte of every valid header set to values that matter to the parser; parsed at every
  // length (exact-size copies, so AddressSanitizer catches a read past the end).
  const std::uint8_t values[] = {0x00, 0x01, 0x0A, 0x0D, 0x11, 0x20, 0x21, 0x22, ' ', '.', ':', '0', 'P', 0x7F, 0xFF};
  std::size_t runs = 0;
  for (const auto& header : valid_headers()) {
    const auto base = concat(header, k_connect);
    for (std::size_t i = 0; i < header.size(); ++i) {
      for (std::uint8_t v : values) {
        auto m = base;
        m[i] = v;
        for (std::size_t n = i; n <= m.size(); n += (m.size() - i) / 4 + 1) {
          const auto r = parse(m, n);
          ++runs;
          if (r.status == proxy_parse_status::complete) {
            EXPECT_GT(r.consumed, 0U);
            EXPECT_LE(r.consumed, n);
          } else {
            EXPECT_EQ(r.consumed, 0U);
          }
          if (r.status == proxy_parse_status::invalid) {
            EXPECT_FALSE(r.error.empty());
          }
        }
      }
    }
  }
  EXPECT_GT(runs, 10'000U);
}

TEST(ProxyIncrementalTest, RandomBytesNeverCrash) {
  std::mt19937 rng(20240607);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 20'000; ++round) {
    bytes b(static_cast<std::size_t>(byte(rng)) + 1);
    for (auto& x : b) x = static_cast<std::uint8_t>(byte(rng));
    const int start = round % 3;  // random bytes, or after a valid v1 / v2 start
    if (start == 1) b = concat(to_bytes("PROXY TCP"), b);
    if (start == 2) b = concat(concat(k_signature, {0x21, 0x11}), b);
    const auto r = parse(b);
    if (r.status == proxy_parse_status::complete) {
      EXPECT_LE(r.consumed, b.size());
    }
  }
}

TEST(ProxyAddressTest, Ipv6TextMatchesInetNtopAndRoundTrips) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> pick(0, 3);
  for (int round = 0; round < 5000; ++round) {
    std::uint8_t a[16];
    for (int g = 0; g < 8; ++g) {  // mostly zero groups, so that runs of every length appear
      const int kind = pick(rng);
      const std::uint16_t v = kind < 2 ? 0 : kind == 2 ? 1 : static_cast<std::uint16_t>(rng());
      a[2 * g] = static_cast<std::uint8_t>(v >> 8);
      a[2 * g + 1] = static_cast<std::uint8_t>(v & 0xFF);
    }
    char expected[INET6_ADDRSTRLEN];
    ASSERT_NE(inet_ntop(AF_INET6, a, expected, sizeof expected), nullptr);
    const auto r = parse(v2(0x21, 0x21, concat(bytes(a, a + 16), bytes(20, 0))));
    ASSERT_EQ(r.status, proxy_parse_status::complete);
    // glibc also writes IPv4-compatible addresses (::a.b.c.d, deprecated) in dotted form; RFC 5952 does not.
    const bool compatible = std::all_of(a, a + 12, [](std::uint8_t x) { return x == 0; }) && (a[12] | a[13]) != 0;
    if (!compatible) {
      EXPECT_EQ(r.header.source_address, expected);
    }
    // Back through the text parser: the same address comes out.
    const auto again = parse("PROXY TCP6 " + r.header.source_address + " ::1 1 2\r\n");
    ASSERT_EQ(again.status, proxy_parse_status::complete) << r.header.source_address;
    EXPECT_EQ(again.header.source_address, r.header.source_address);
  }
}

TEST(ProxyAddressTest, TextAddressesAcceptedExactlyAsInetPtonDoes) {
  // Differential check against glibc on random strings and on mutations of valid addresses.
  std::mt19937 rng(11);
  const std::string alphabet = "0123456789abcdefABCDEF:.:.::0";
  const std::vector<std::string> seeds = {"::", "::1", "1::", "2001:db8::1", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8",
                                          "1:2:3:4:5:6:1.2.3.4", "fe80::1:2", "::1.2.3.4", "10.0.0.1", "255.0.1.10"};
  for (int round = 0; round < 100'000; ++round) {
    std::string s;
    if (round % 2 == 0) {
      for (std::size_t n = rng() % 20; n > 0; --n) s += alphabet[rng() % alphabet.size()];
    } else {
      s = seeds[rng() % seeds.size()];
      for (int k = 0; k < 2; ++k) {
        const std::size_t pos = rng() % (s.size() + 1);
        const char c = alphabet[rng() % alphabet.size()];
        if (rng() % 2 == 0) {
          s.insert(pos, 1, c);
        } else if (pos < s.size()) {
          s[pos] = c;
        }
      }
    }
    for (const bool v6 : {false, true}) {
      std::uint8_t a[16];
      const bool glibc = inet_pton(v6 ? AF_INET6 : AF_INET, s.c_str(), a) == 1;
      const auto r = parse(std::string(v6 ? "PROXY TCP6 " : "PROXY TCP4 ") + s + (v6 ? " ::1" : " 1.1.1.1") + " 1 2\r\n");
      ASSERT_EQ(r.status == proxy_parse_status::complete, glibc) << s;
      if (!glibc) continue;
      char text[INET6_ADDRSTRLEN];
      std::uint8_t back[16];
      ASSERT_EQ(inet_pton(v6 ? AF_INET6 : AF_INET, r.header.source_address.c_str(), back), 1);
      EXPECT_EQ(std::memcmp(a, back, v6 ? 16 : 4), 0) << s << " -> " << r.header.source_address;
      if (!v6) {
        EXPECT_EQ(r.header.source_address, inet_ntop(AF_INET, a, text, sizeof text));
      }
    }
  }
}

// --- headers captured from HAProxy 2.6 -----------------------------------------------------

std::filesystem::path fixture_dir() {
  return std::filesystem::path(TERNMQ_SOURCE_DIR) / "tests" / "data" / "proxy";
}

std::map<std::string, std::string> read_expect(const std::filesystem::path& p) {
  std::map<std::string, std::string> out;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

std::string hex(const std::uint8_t* p, std::size_t n) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) (out += k_hex[p[i] >> 4]) += k_hex[p[i] & 0xF];
  return out;
}

std::string to_string(proxy_family f) {
  switch (f) {
    case proxy_family::unspecified: return "unspecified";
    case proxy_family::inet: return "inet";
    case proxy_family::inet6: return "inet6";
    case proxy_family::unix_socket: return "unix_socket";
  }
  return "?";
}

class HaproxyCaptureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(HaproxyCaptureTest, ParsesAsTheClientSawIt) {
  const auto dir = fixture_dir();
  ASSERT_TRUE(std::filesystem::exists(dir)) << "no " << dir;
  std::ifstream in(dir / (GetParam() + ".bin"), std::ios::binary);
  ASSERT_TRUE(in) << GetParam() << ".bin missing";
  const bytes data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto expect = read_expect(dir / (GetParam() + ".expect"));
  ASSERT_FALSE(expect.empty());

  const auto r = parse(data);
  ASSERT_EQ(r.status, proxy_parse_status::complete) << r.error;
  const auto& h = r.header;
  EXPECT_EQ(hex(data.data() + r.consumed, data.size() - r.consumed), expect["payload_hex"]);
  const auto flag = [](bool b) { return std::string(b ? "1" : "0"); };
  const auto opt = [](const std::optional<std::string>& s) { return s.value_or("(none)"); };
  const std::map<std::string, std::string> actual = {
      {"version", std::to_string(h.version)},
      {"local", flag(h.local)},
      {"family", to_string(h.family)},
      {"source_address", h.source_address},
      {"source_port", std::to_string(h.source_port)},
      {"destination_address", h.destination_address},
      {"destination_port", std::to_string(h.destination_port)},
      {"crc32c_verified", flag(h.crc32c_verified)},
      {"ssl_tlv", flag(h.ssl_tlv)},
      {"ssl", flag(h.ssl)},
      {"ssl_client_cert", flag(h.ssl_client_cert)},
      {"ssl_cert_verified", flag(h.ssl_cert_verified)},
      {"ssl_version", opt(h.ssl_version)},
      {"ssl_cipher", opt(h.ssl_cipher)},
      {"ssl_sig_alg", opt(h.ssl_sig_alg)},
      {"ssl_key_alg", opt(h.ssl_key_alg)},
      {"ssl_common_name", opt(h.ssl_common_name)},
      {"authority", opt(h.authority)},
      {"unique_id", h.unique_id ? "present" : "(none)"},
  };
  // Keys the capture wrote are checked; optional strings it did not write must be absent.
  for (const auto& [key, value] : actual) {
    if (expect.count(key)) {
      EXPECT_EQ(value, expect[key]) << key;
    } else if (key.starts_with("ssl") || key == "authority" || key == "unique_id" || key == "crc32c_verified") {
      EXPECT_TRUE(value == "(none)" || value == "0") << key << " = " << value;
    }
  }
  // Every prefix needs more, never invalid: HAProxy's real bytes arriving one at a time.
  for (std::size_t n = 0; n < r.consumed; ++n) ASSERT_EQ(parse(data, n).status, proxy_parse_status::need_more) << n;
}

INSTANTIATE_TEST_SUITE_P(
    Haproxy26, HaproxyCaptureTest,
    ::testing::Values("haproxy_v1_tcp4", "haproxy_v1_tcp6", "haproxy_v1_v4v6", "haproxy_v1_health_check",
                      "haproxy_v2_tcp4", "haproxy_v2_tcp6", "haproxy_v2_v4v6", "haproxy_v2_tcp4_crc32c",
                      "haproxy_v2_health_check", "haproxy_v2_ssl_verified_cn", "haproxy_v2_ssl_unverified_cn",
                      "haproxy_v2_ssl_no_cert", "haproxy_v2_ssl_option_on_plain"),
    [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace ternmq::transport
