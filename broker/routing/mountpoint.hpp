// Mountpoints: separate topic trees for the clients of different listeners (VerneMQ's
// `listener.*.mountpoint`). A mounted topic lives under `$mp/<mountpoint>/`, a `$` topic, so no
// wildcard subscription of the root tree ever matches it (MQTT-4.7.2-1), and clients may not
// name `$mp/` topics themselves. Pure.
#pragma once

#include <string>
#include <string_view>

namespace ternmq::routing {

inline constexpr std::string_view k_mount_prefix = "$mp/";

// The routing name of a client's topic name or filter (`$share/<g>/` stays in front).
std::string mount(std::string_view mountpoint, std::string_view topic);
// The client's view of a routed topic name; `full` must have been mounted with `mountpoint`.
std::string_view unmount(std::string_view mountpoint, std::string_view full);
// True for names and filters clients may not use because they reach into the mount space.
bool is_mount_space(std::string_view topic);

}  // namespace ternmq::routing
