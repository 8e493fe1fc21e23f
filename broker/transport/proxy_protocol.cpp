#include "broker/transport/proxy_protocol.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/status.hpp"

namespace ternmq::transport {
namespace {

using core::status;

constexpr std::array<std::uint8_t, 12> k_v2_signature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                                         0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
constexpr std::string_view k_v1_magic = "PROXY ";

// Version 2 TLV types and SSL client bits (spec section 2.2).
constexpr std::uint8_t k_pp2_type_alpn = 0x01;
constexpr std::uint8_t k_pp2_type_authority = 0x02;
constexpr std::uint8_t k_pp2_type_crc32c = 0x03;
constexpr std::uint8_t k_pp2_type_unique_id = 0x05;
constexpr std::uint8_t k_pp2_type_ssl = 0x20;
constexpr std::uint8_t k_pp2_subtype_ssl_version = 0x21;
constexpr std::uint8_t k_pp2_subtype_ssl_cn = 0x22;
constexpr std::uint8_t k_pp2_subtype_ssl_cipher = 0x23;
constexpr std::uint8_t k_pp2_subtype_ssl_sig_alg = 0x24;
constexpr std::uint8_t k_pp2_subtype_ssl_key_alg = 0x25;
constexpr std::uint8_t k_pp2_client_ssl = 0x01;
constexpr std::uint8_t k_pp2_client_cert_conn = 0x02;
constexpr std::uint8_t k_pp2_client_cert_sess = 0x04;
constexpr std::size_t k_unique_id_max = 128;

proxy_parse_result need_more(std::size_t needed) {
  proxy_parse_result r;
  r.status = proxy_parse_status::need_more;
  r.needed = needed;
  return r;
}

proxy_parse_result invalid(std::string reason) {
  proxy_parse_result r;
  r.status = proxy_parse_status::invalid;
  r.error = std::move(reason);
  return r;
}

proxy_parse_result complete(proxy_header header, std::size_t consumed) {
  proxy_parse_result r;
  r.status = proxy_parse_status::complete;
  r.consumed = consumed;
  r.header = std::move(header);
  return r;
}

std::uint16_t be16(const std::uint8_t* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }
std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// --- addresses and ports -------------------------------------------------------------------

// A decimal number of at most `max_digits` digits without a heading zero, not above `max`.
std::optional<std::uint32_t> parse_decimal(std::string_view s, std::size_t max_digits, std::uint32_t max) {
  if (s.empty() || s.size() > max_digits || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

std::optional<std::uint16_t> parse_port(std::string_view s) {
  auto v = parse_decimal(s, 5, 0xFFFF);
  if (!v) return std::nullopt;
  return static_cast<std::uint16_t>(*v);
}

// Exactly four decimal numbers in [0, 255] without heading zeroes, separated by single dots.
bool parse_ipv4(std::string_view s, std::uint8_t* out) {
  for (int i = 0; i < 4; ++i) {
    const auto dot = s.find('.');
    if ((i < 3) == (dot == std::string_view::npos)) return false;
    auto v = parse_decimal(s.substr(0, dot), 3, 255);
    if (!v) return false;
    out[i] = static_cast<std::uint8_t>(*v);
    s = i < 3 ? s.substr(dot + 1) : std::string_view{};
  }
  return true;
}

// RFC 4291 section 2.2 text: groups of 1 to 4 hex digits, at most one "::", optionally ending in
// a dotted IPv4 address (HAProxy writes IPv4-mapped addresses as "::ffff:a.b.c.d").
bool parse_ipv6(std::string_view s, std::uint8_t* out) {
  std::array<std::uint16_t, 8> groups{};
  std::size_t count = 0;
  constexpr std::size_t k_no_gap = 9;
  std::size_t gap = k_no_gap;  // index in `groups` where "::" stands
  std::size_t i = 0;
  if (s.substr(0, 2) == "::") {
    gap = 0;
    i = 2;
  }
  while (i < s.size()) {
    const std::size_t start = i;
    std::uint32_t v = 0;
    while (i < s.size() && i - start < 5 && hex_value(s[i]) >= 0) v = v * 16 + static_cast<std::uint32_t>(hex_value(s[i++]));
    if (i < s.size() && s[i] == '.') {  // the last 32 bits in dotted form
      std::uint8_t v4[4];
      if (count > 6 || !parse_ipv4(s.substr(start), v4)) return false;
      groups[count++] = static_cast<std::uint16_t>((v4[0] << 8) | v4[1]);
      groups[count++] = static_cast<std::uint16_t>((v4[2] << 8) | v4[3]);
      break;
    }
    if (i == start || i - start > 4 || count == 8) return false;
    groups[count++] = static_cast<std::uint16_t>(v);
    if (i == s.size()) break;
    if (s[i] != ':' || ++i == s.size()) return false;  // a group ends at ':' and one must follow
    if (s[i] == ':') {
      if (gap != k_no_gap) return false;
      gap = count;
      ++i;
    }
  }
  if (gap == k_no_gap ? count != 8 : count > 7) return false;
  if (gap != k_no_gap) {  // slide the groups after "::" to the end
    const std::size_t tail = count - gap;
    std::move_backward(groups.begin() + static_cast<std::ptrdiff_t>(gap),
                       groups.begin() + static_cast<std::ptrdiff_t>(count), groups.end());
    std::fill_n(groups.begin() + static_cast<std::ptrdiff_t>(gap), 8 - tail - gap, std::uint16_t{0});
  }
  for (std::size_t g = 0; g < 8; ++g) {
    out[2 * g] = static_cast<std::uint8_t>(groups[g] >> 8);
    out[2 * g + 1] = static_cast<std::uint8_t>(groups[g] & 0xFF);
  }
  return true;
}

std::string format_ipv4(const std::uint8_t* a) {
  return std::to_string(a[0]) + '.' + std::to_string(a[1]) + '.' + std::to_string(a[2]) + '.' +
         std::to_string(a[3]);
}

// RFC 5952: lower case, no heading zeroes, the longest run (the first of equals) of two or more
// zero groups as "::", and IPv4-mapped addresses with the IPv4 part dotted.
std::string format_ipv6(const std::uint8_t* a) {
  static constexpr std::uint8_t k_mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (std::memcmp(a, k_mapped_prefix, sizeof k_mapped_prefix) == 0) return "::ffff:" + format_ipv4(a + 12);
  std::array<std::uint16_t, 8> g{};
  for (std::size_t i = 0; i < 8; ++i) g[i] = be16(a + 2 * i);
  std::size_t best = 8, best_len = 1;
  for (std::size_t i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const auto nibble = (g[i] >> shift) & 0xF;
      if (nibble != 0 || started || shift == 0) {
        out += k_hex[nibble];
        started = true;
      }
    }
  }
  return out;
}

// --- version 1 -----------------------------------------------------------------------------

std::vector<std::string_view> split_spaces(std::string_view s) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto sp = s.find(' ');
    parts.push_back(s.substr(0, sp));
    if (sp == std::string_view::npos) return parts;
    s = s.substr(sp + 1);
  }
}

// Checks `line` (without its CRLF). When `whole` is false the line is still arriving: its last
// field may be cut short, so that field only has to look like the start of a valid one. Fills
// `out` when `whole`.
status check_v1_line(std::string_view line, bool whole, proxy_header& out) {
  if (!line.starts_with(k_v1_magic)) {
    if (!whole && k_v1_magic.starts_with(line)) return status::success();
    return status::failure("PROXY v1: bad signature");
  }
  const auto sp = line.find(' ', k_v1_magic.size());
  const auto proto = line.substr(k_v1_magic.size(), sp == std::string_view::npos ? sp : sp - k_v1_magic.size());
  const bool proto_whole = whole || sp != std::string_view::npos;
  if (!proto_whole) {
    for (std::string_view known : {"TCP4", "TCP6", "UNKNOWN"})
      if (known.starts_with(proto)) return status::success();
    return status::failure("PROXY v1: unknown protocol");
  }
  if (proto == "UNKNOWN") {  // the sender may omit the rest, and the receiver ignores it
    out.version = 1;
    out.local = true;
    return status::success();
  }
  if (proto != "TCP4" && proto != "TCP6") return status::failure("PROXY v1: unknown protocol");
  if (sp == std::string_view::npos) return status::failure("PROXY v1: missing addresses");
  const bool v6 = proto == "TCP6";
  const auto fields = split_spaces(line.substr(sp + 1));
  if (fields.size() > 4 || (whole && fields.size() != 4)) return status::failure("PROXY v1: wrong field count");
  std::array<std::uint8_t, 16> src{}, dst{};
  static constexpr const char* k_errors[] = {"PROXY v1: bad source address", "PROXY v1: bad destination address",
                                             "PROXY v1: bad source port", "PROXY v1: bad destination port"};
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto f = fields[i];
    if (!whole && i + 1 == fields.size()) {  // still arriving: only the characters and length
      const bool address = i < 2;
      const std::size_t max_len = address ? (v6 ? 45 : 15) : 5;
      const bool chars_ok = std::all_of(f.begin(), f.end(), [&](char c) {
        return is_digit(c) || (address && (c == '.' || (v6 && (c == ':' || hex_value(c) >= 0))));
      });
      if (f.size() > max_len || !chars_ok) return status::failure(k_errors[i]);
      break;
    }
    bool ok = false;
    if (i < 2) {
      auto* bytes = (i == 0 ? src : dst).data();
      ok = v6 ? parse_ipv6(f, bytes) : parse_ipv4(f, bytes);
    } else {
      auto port = parse_port(f);
      ok = port.has_value();
      (i == 2 ? out.source_port : out.destination_port) = port.value_or(0);
    }
    if (!ok) return status::failure(k_errors[i]);
  }
  if (whole) {
    out.version = 1;
    out.family = v6 ? proxy_family::inet6 : proxy_family::inet;
    out.transport = proxy_transport::stream;
    out.source_address = v6 ? format_ipv6(src.data()) : format_ipv4(src.data());
    out.destination_address = v6 ? format_ipv6(dst.data()) : format_ipv4(dst.data());
  }
  return status::success();
}

proxy_parse_result parse_v1(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t eol = text.substr(0, k_proxy_v1_max_line).find_first_of("\r\n");
  proxy_header header;
  if (eol != std::string_view::npos && text[eol] == '\n') return invalid("PROXY v1: LF without CR");
  if (eol == std::string_view::npos || eol + 1 == size) {  // no line end yet, or a CR alone at the end
    const std::size_t line = eol == std::string_view::npos ? size : eol;
    if (line + 2 > k_proxy_v1_max_line) return invalid("PROXY v1: no CRLF within 107 bytes");
    if (auto s = check_v1_line(text.substr(0, line), false, header); !s) return invalid(s.message());
    return need_more(size + 1);
  }
  if (text[eol + 1] != '\n') return invalid("PROXY v1: CR without LF");
  if (eol + 2 > k_proxy_v1_max_line) return invalid("PROXY v1: no CRLF within 107 bytes");
  if (auto s = check_v1_line(text.substr(0, eol), true, header); !s) return invalid(s.message());
  return complete(std::move(header), eol + 2);
}

// --- version 2 -----------------------------------------------------------------------------

constexpr std::array<std::uint32_t, 256> make_crc32c_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ ((c & 1U) ? 0x82F63B78U : 0U);
    t[i] = c;
  }
  return t;
}

std::uint32_t crc32c_update(std::uint32_t crc, const std::uint8_t* data, std::size_t size) {
  static constexpr auto k_table = make_crc32c_table();
  for (std::size_t i = 0; i < size; ++i) crc = k_table[(crc ^ data[i]) & 0xFFU] ^ (crc >> 8);
  return crc;
}

// Calls `on_tlv(type, value, length)` for each TLV filling exactly `[p, p + n)`.
template <class OnTlv>
status walk_tlvs(const std::uint8_t* p, std::size_t n, OnTlv on_tlv) {
  while (n > 0) {
    if (n < 3) return status::failure("PROXY v2: truncated TLV");
    const std::size_t len = be16(p + 1);
    if (len > n - 3) return status::failure("PROXY v2: TLV overruns the header");
    if (auto s = on_tlv(p[0], p + 3, len); !s) return s;
    p += 3 + len;
    n -= 3 + len;
  }
  return status::success();
}

status set_once(std::optional<std::string>& field, const std::uint8_t* value, std::size_t len, bool text,
                const char* name) {
  if (field) return status::failure(std::string("PROXY v2: repeated ") + name + " TLV");
  field.emplace(reinterpret_cast<const char*>(value), len);
  if (text && field->find('\0') != std::string::npos)
    return status::failure(std::string("PROXY v2: NUL in ") + name + " TLV");
  return status::success();
}

status read_ssl_tlv(const std::uint8_t* v, std::size_t len, proxy_header& h) {
  if (h.ssl_tlv) return status::failure("PROXY v2: repeated SSL TLV");
  if (len < 5) return status::failure("PROXY v2: short SSL TLV");
  h.ssl_tlv = true;
  h.ssl_client_flags = v[0];
  h.ssl_verify = be32(v + 1);
  h.ssl = (v[0] & k_pp2_client_ssl) != 0;
  h.ssl_client_cert = (v[0] & (k_pp2_client_cert_conn | k_pp2_client_cert_sess)) != 0;
  h.ssl_cert_verified = h.ssl_client_cert && h.ssl_verify == 0;
  return walk_tlvs(v + 5, len - 5, [&](std::uint8_t type, const std::uint8_t* sv, std::size_t sl) {
    switch (type) {
      case k_pp2_subtype_ssl_version: return set_once(h.ssl_version, sv, sl, false, "SSL version");
      case k_pp2_subtype_ssl_cn: return set_once(h.ssl_common_name, sv, sl, true, "SSL CN");
      case k_pp2_subtype_ssl_cipher: return set_once(h.ssl_cipher, sv, sl, false, "SSL cipher");
      case k_pp2_subtype_ssl_sig_alg: return set_once(h.ssl_sig_alg, sv, sl, false, "SSL sig alg");
      case k_pp2_subtype_ssl_key_alg: return set_once(h.ssl_key_alg, sv, sl, false, "SSL key alg");
      default: return status::success();  // newer or custom sub-TLVs
    }
  });
}

// `header` is the whole version 2 header; the TLVs are `[tlvs, header + total)`.
status read_tlvs(const std::uint8_t* header, std::size_t total, std::size_t tlvs, proxy_header& h) {
  bool crc_seen = false;
  return walk_tlvs(header + tlvs, total - tlvs, [&](std::uint8_t type, const std::uint8_t* v, std::size_t len) {
    switch (type) {
      case k_pp2_type_alpn: return set_once(h.alpn, v, len, false, "ALPN");
      case k_pp2_type_authority: return set_once(h.authority, v, len, true, "authority");
      case k_pp2_type_unique_id:
        if (len > k_unique_id_max) return status::failure("PROXY v2: unique ID over 128 bytes");
        return set_once(h.unique_id, v, len, false, "unique ID");
      case k_pp2_type_ssl: return read_ssl_tlv(v, len, h);
      case k_pp2_type_crc32c: {
        if (crc_seen) return status::failure("PROXY v2: repeated CRC32C TLV");
        if (len != 4) return status::failure("PROXY v2: CRC32C TLV is not 4 bytes");
        crc_seen = true;
        // The checksum covers the whole header with its own field zeroed.
        static constexpr std::uint8_t k_zero[4] = {};
        const auto before = static_cast<std::size_t>(v - header);
        std::uint32_t crc = crc32c_update(0xFFFFFFFFU, header, before);
        crc = crc32c_update(crc, k_zero, 4);
        crc = ~crc32c_update(crc, v + 4, total - before - 4);
        if (crc != be32(v)) return status::failure("PROXY v2: CRC32C mismatch");
        h.crc32c_verified = true;
        return status::success();
      }
      default: return status::success();  // NOOP, NETNS, custom and future types
    }
  });
}

proxy_parse_result parse_v2(const std::uint8_t* data, std::size_t size, std::size_t max_size) {
  if (size > 12 && (data[12] >> 4) != 2) return invalid("PROXY v2: unsupported version");
  if (size > 12 && (data[12] & 0x0F) > 1) return invalid("PROXY v2: unknown command");
  if (size < k_proxy_v2_fixed_size) return need_more(k_proxy_v2_fixed_size);
  const bool proxy_command = (data[12] & 0x0F) == 1;
  const std::uint8_t fam = data[13];
  const std::size_t total = k_proxy_v2_fixed_size + be16(data + 14);
  if (total > std::min(max_size, k_proxy_v2_max_size)) return invalid("PROXY v2: header over the size limit");

  // The family is only looked at for PROXY; LOCAL ignores the whole block (spec 2.2).
  std::size_t address_size = 0;
  if (proxy_command) {
    const int family = fam >> 4, transport = fam & 0x0F;
    if (family > 3 || transport > 2) return invalid("PROXY v2: bad address family or transport");
    if (transport != 0) address_size = family == 1 ? 12 : family == 2 ? 36 : family == 3 ? 216 : 0;
    if (total - k_proxy_v2_fixed_size < address_size) return invalid("PROXY v2: address block too short");
  }
  if (size < total) return need_more(total);

  proxy_header h;
  h.version = 2;
  h.local = true;
  if (!proxy_command) return complete(std::move(h), total);
  static constexpr proxy_family k_families[] = {proxy_family::unspecified, proxy_family::inet,
                                                proxy_family::inet6, proxy_family::unix_socket};
  static constexpr proxy_transport k_transports[] = {proxy_transport::unspecified, proxy_transport::stream,
                                                     proxy_transport::datagram};
  h.family = k_families[fam >> 4];
  h.transport = k_transports[fam & 0x0F];
  if (fam != 0x11 && fam != 0x21) return complete(std::move(h), total);  // treated as UNSPEC

  const std::uint8_t* a = data + k_proxy_v2_fixed_size;
  const std::size_t addr_len = fam == 0x11 ? 4 : 16;
  h.local = false;
  h.source_address = fam == 0x11 ? format_ipv4(a) : format_ipv6(a);
  h.destination_address = fam == 0x11 ? format_ipv4(a + addr_len) : format_ipv6(a + addr_len);
  h.source_port = be16(a + 2 * addr_len);
  h.destination_port = be16(a + 2 * addr_len + 2);
  if (auto s = read_tlvs(data, total, k_proxy_v2_fixed_size + address_size, h); !s) return invalid(s.message());
  return complete(std::move(h), total);
}

}  // namespace

std::uint32_t proxy_crc32c(const std::uint8_t* data, std::size_t size) {
  return ~crc32c_update(0xFFFFFFFFU, data, size);
}

proxy_parse_result parse_proxy_header(const std::uint8_t* data, std::size_t size, std::size_t max_v2_size) {
  if (size == 0) return need_more(1);
  if (data[0] == k_v2_signature[0]) {
    const std::size_t n = std::min(size, k_v2_signature.size());
    if (std::memcmp(data, k_v2_signature.data(), n) != 0) return invalid("not a PROXY protocol header");
    return parse_v2(data, size, max_v2_size);
  }
  if (data[0] == static_cast<std::uint8_t>(k_v1_magic[0])) return parse_v1(data, size);
  return invalid("not a PROXY protocol header");
}

}  // namespace ternmq::transport
