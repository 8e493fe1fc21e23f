#include "scheduler/model/volume_spec.hpp"

namespace ternmq::scheduler::model {

std::string_view to_string(volume_type type) {
  switch (type) {
    case volume_type::root: return "ROOT";
    case volume_type::mount: return "MOUNT";
  }
  return "?";
}

std::optional<volume_type> parse_volume_type(std::string_view text) {
  if (text == "ROOT") return volume_type::root;
  if (text == "MOUNT") return volume_type::mount;
  return std::nullopt;
}

}  // namespace ternmq::scheduler::model
