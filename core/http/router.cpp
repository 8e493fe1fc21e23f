#include "core/http/router.hpp"

#include <sstream>

namespace core::http {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

response json_response(int status, std::string body) { return {status, "application/json", std::move(body)}; }
response text_response(int status, std::string body) { return {status, "text/plain", std::move(body)}; }

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(start, end - start);
    const std::size_t eq = pair.find('=');
    if (!pair.empty()) {
      if (eq == std::string_view::npos) {
        out[decode(pair)] = "";
      } else {
        out[decode(pair.substr(0, eq))] = decode(pair.substr(eq + 1));
      }
    }
    start = end + 1;
  }
  return out;
}

void router::add(std::string method, std::string pattern, handler h) {
  routes_.push_back({std::move(method), split_path(pattern), std::move(h)});
}

response router::dispatch(request req) const {
  const auto segments = split_path(req.path);
  bool path_matched = false;
  for (const auto& r : routes_) {
    if (r.segments.size() != segments.size()) continue;
    std::vector<std::string> params;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      const std::string& p = r.segments[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        params.push_back(decode(segments[i]));
      } else {
        ok = p == segments[i];
      }
    }
    if (!ok) continue;
    path_matched = true;
    if (r.method != req.method) continue;
    req.params = std::move(params);
    return r.h(req);
  }
  if (path_matched) return json_response(405, R"({"message":"method not allowed"})");
  return json_response(404, R"({"message":"not found"})");
}

}  // namespace core::http
