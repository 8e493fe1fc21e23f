#include "scheduler/runtime/command_line.hpp"

#include <charconv>
#include <string_view>

namespace ternmq::scheduler::runtime {
namespace {

std::optional<std::uint32_t> parse_number(std::string_view text, std::uint32_t max) {
  std::uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

core::error bad(std::string_view flag, std::string_view what, std::string_view got) {
  return core::error{1, std::string(flag) + ": expected " + std::string(what) + ", got \"" + std::string(got) + "\""};
}

}  // namespace

std::string usage() {
  return "usage: ternmq-scheduler --spec svc.yml [--local] [options]\n"
         "  --spec FILE            the service spec template (svc.yml)\n"
         "  --local                run the node tasks as processes on this machine\n"
         "  --options FILE         package options (JSON, as for `dcos package install --options`)\n"
         "  --state-dir DIR        scheduler state, sandboxes and volumes (default .ternmq-local)\n"
         "  --api-address IP       address of the HTTP API (default 127.0.0.1)\n"
         "  --api-port N           port of the HTTP API (default $PORT_API, else 8080; 0: any)\n"
         "  --agents N             simulated agents (default: one per node, at least 3)\n"
         "  --port-range A-B       host ports the agents offer (default 31000-32000)\n"
         "  --ternmq-bin PATH      the broker binary the tasks fetch (default: next to the scheduler)\n"
         "  --package-dir DIR      where config.json and universe/ are (default: svc.yml's directory)\n"
         "  --entry-port NAME=N    bind the HAProxy frontend NAME (mqtt, mqtt-tls, websocket,\n"
         "                         websocket-tls, stats) to port N instead of the pool's\n"
         "  --entry-address IP     address the HAProxy frontends bind (default 127.0.0.1)\n"
         "  --no-entry-point       do not start HAProxy\n"
         "  --stop-on-exit         stop the tasks when the scheduler stops (kept running otherwise)\n"
         "  --uninstall            stop every task, destroy the volumes and the state, and exit\n"
         "  --log-level LEVEL      debug, info, warning or error (default info)\n";
}

core::result<command_line> parse_command_line(int argc, const char* const* argv) {
  command_line cl;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string_view(argv[++i]);
    };
    auto need = [&](std::string_view what) -> core::result<std::string_view> {
      auto v = value();
      if (!v) return core::error{1, std::string(flag) + ": expected " + std::string(what)};
      return *v;
    };
    if (flag == "--help" || flag == "-h") {
      cl.help = true;
    } else if (flag == "--local") {
      cl.local = true;
    } else if (flag == "--no-entry-point") {
      cl.entry_point = false;
    } else if (flag == "--stop-on-exit") {
      cl.stop_on_exit = true;
    } else if (flag == "--uninstall") {
      cl.uninstall = true;
    } else if (flag == "--spec" || flag == "--options" || flag == "--state-dir" || flag == "--ternmq-bin" ||
               flag == "--package-dir") {
      auto v = need("a path");
      if (!v) return v.err();
      std::filesystem::path path{std::string(*v)};
      if (flag == "--spec") cl.spec = path;
      else if (flag == "--options") cl.options = path;
      else if (flag == "--state-dir") cl.state_dir = path;
      else if (flag == "--ternmq-bin") cl.ternmq_bin = path;
      else cl.package_dir = path;
    } else if (flag == "--api-address" || flag == "--entry-address" || flag == "--log-level") {
      auto v = need("a value");
      if (!v) return v.err();
      if (flag == "--api-address") cl.api_address = *v;
      else if (flag == "--entry-address") cl.entry_address = *v;
      else cl.log_level = *v;
    } else if (flag == "--api-port") {
      auto v = need("a port");
      if (!v) return v.err();
      auto port = parse_number(*v, 65535);
      if (!port) return bad(flag, "a port 0-65535", *v);
      cl.api_port = static_cast<std::uint16_t>(*port);
    } else if (flag == "--agents") {
      auto v = need("a count");
      if (!v) return v.err();
      auto n = parse_number(*v, 1000);
      if (!n || *n == 0) return bad(flag, "a count 1-1000", *v);
      cl.agents = *n;
    } else if (flag == "--port-range") {
      auto v = need("BEGIN-END");
      if (!v) return v.err();
      auto dash = v->find('-');
      auto begin = dash == std::string_view::npos ? std::nullopt : parse_number(v->substr(0, dash), 65535);
      auto end = dash == std::string_view::npos ? std::nullopt : parse_number(v->substr(dash + 1), 65535);
      if (!begin || !end || *begin == 0 || *begin > *end) return bad(flag, "BEGIN-END with 0 < BEGIN <= END", *v);
      cl.port_range = {static_cast<std::uint16_t>(*begin), static_cast<std::uint16_t>(*end)};
    } else if (flag == "--entry-port") {
      auto v = need("NAME=PORT");
      if (!v) return v.err();
      auto eq = v->find('=');
      auto port = eq == std::string_view::npos ? std::nullopt : parse_number(v->substr(eq + 1), 65535);
      if (!port || *port == 0 || eq == 0) return bad(flag, "NAME=PORT with a port 1-65535", *v);
      cl.entry_ports[std::string(v->substr(0, eq))] = static_cast<std::uint16_t>(*port);
    } else {
      return core::error{1, "unknown argument \"" + std::string(flag) + "\" (see --help)"};
    }
  }
  if (!cl.help && cl.spec.empty()) return core::error{1, "--spec: the service spec (svc.yml) is required"};
  if (cl.package_dir.empty()) cl.package_dir = cl.spec.has_parent_path() ? cl.spec.parent_path() : ".";
  return cl;
}

}  // namespace ternmq::scheduler::runtime
