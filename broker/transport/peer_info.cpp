#include "broker/transport/byte_stream.hpp"

namespace ternmq::transport {

std::string peer_info::endpoint() const {
  if (address.find(':') != std::string::npos) return "[" + address + "]:" + std::to_string(port);
  return address + ":" + std::to_string(port);
}

}  // namespace ternmq::transport
