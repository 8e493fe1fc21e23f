// Volumes of a pod or task: persistent volumes reserved from agent disk, and host paths mounted into
// the container. Value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ternmq::scheduler::model {

enum class volume_type {
  root,   // `ROOT`: exactly `size_mb` carved from the agent's root disk
  mount,  // `MOUNT`: a whole dedicated disk (/dcos/volumeN) reserved as a unit, at least `size_mb`
};

// "ROOT" / "MOUNT", as in svc.yml.
std::string_view to_string(volume_type type);
// Parses "ROOT" and "MOUNT" (upper case, as dcos-commons requires); `nullopt` for anything else.
std::optional<volume_type> parse_volume_type(std::string_view text);

// A persistent volume. It survives task restarts in place, not moves to another agent.
struct volume_spec {
  std::string name;   // the key under `volumes:`; empty for a single `volume:`
  std::string path;   // container path; relative paths are under $MESOS_SANDBOX
  volume_type type = volume_type::root;
  std::uint64_t size_mb = 0;
  friend bool operator==(const volume_spec&, const volume_spec&) = default;
};

// A directory of the agent mounted into the container (`host-volumes:`).
struct host_volume_spec {
  std::string name;
  std::string host_path;
  std::string container_path;
  friend bool operator==(const host_volume_spec&, const host_volume_spec&) = default;
};

}  // namespace ternmq::scheduler::model
