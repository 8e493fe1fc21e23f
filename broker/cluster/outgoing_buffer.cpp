// Byte-bounded frame queue of one peer; see outgoing_buffer.hpp.
#include "broker/cluster/outgoing_buffer.hpp"

#include <utility>

namespace ternmq::cluster {

outgoing_buffer::push_result outgoing_buffer::push(std::string frame) {
  if (frame.size() > max_bytes_ - bytes_) {  // bytes_ <= max_bytes_ always
    ++counters_.dropped_frames;
    counters_.dropped_bytes += frame.size();
    return push_result::dropped;
  }
  bytes_ += frame.size();
  frames_.push_back(std::move(frame));
  ++counters_.queued_frames;
  return push_result::queued;
}

std::optional<std::string> outgoing_buffer::pop() {
  if (frames_.empty()) return std::nullopt;
  std::string f = std::move(frames_.front());
  frames_.pop_front();
  bytes_ -= f.size();
  return f;
}

}  // namespace ternmq::cluster
