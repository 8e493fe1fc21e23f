#include "scheduler/runtime/local_environment.hpp"

#include "scheduler/cosmos/marathon_app.hpp"

namespace ternmq::scheduler::runtime {

core::result<local_environment> make_local_environment(const cosmos::package_files& package,
                                                       const nlohmann::json& user_options,
                                                       const std::filesystem::path& ternmq_bin, std::uint16_t api_port) {
  auto rendered = cosmos::render_package(package, user_options);
  if (!rendered) return rendered.err();
  local_environment out{rendered->options, rendered->env};
  // The fetcher links a plain file into the sandbox under its name: `./ternmq` for svc.yml's cmd.
  out.env["TERNMQ_URI"] = std::filesystem::absolute(ternmq_bin).string();
  out.env["TERNMQ_IMAGE"] = "";
  out.env["PORT_API"] = std::to_string(api_port);
  out.env["PORT0"] = std::to_string(api_port);
  // The agents are all 127.0.0.1: the node listeners stay on loopback (svc.yml's BIND_ADDRESS).
  out.env["TASKCFG_ALL_BIND_ADDRESS"] = "127.0.0.1";
  return out;
}

}  // namespace ternmq::scheduler::runtime
