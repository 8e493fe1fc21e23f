// Plain request and response values for the HTTP API servers (the scheduler's /v1 API, and
// later the broker's admin API). No Beast types here: handlers stay testable without sockets.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace core::http {

struct request {
  std::string method;  // "GET", "POST", "PUT", ...
  std::string path;    // without the query string
  std::map<std::string, std::string> query;
  std::string body;
  std::vector<std::string> params;  // path parameters captured by the route, in order
};

struct response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

response json_response(int status, std::string body);
response text_response(int status, std::string body);

// Splits "a=1&b=two%20words" into a map, decoding %XX and '+'.
std::map<std::string, std::string> parse_query(std::string_view query);

}  // namespace core::http
