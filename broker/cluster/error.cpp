// Names of the cluster link's error codes, for logs and test failure messages.
#include "broker/cluster/error.hpp"

namespace ternmq::cluster {

const char* to_string(errc code) {
  switch (code) {
    case errc::frame_too_large: return "frame_too_large";
    case errc::empty_frame: return "empty_frame";
    case errc::truncated: return "truncated";
    case errc::trailing_bytes: return "trailing_bytes";
    case errc::unknown_message_type: return "unknown_message_type";
    case errc::invalid_value: return "invalid_value";
    case errc::invalid_utf8: return "invalid_utf8";
    case errc::count_too_large: return "count_too_large";
    case errc::decoder_failed: return "decoder_failed";
    case errc::clock_drift: return "clock_drift";
    case errc::unknown_node: return "unknown_node";
  }
  return "unknown";
}

}  // namespace ternmq::cluster
