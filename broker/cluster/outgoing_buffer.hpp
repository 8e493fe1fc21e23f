// The bounded queue of frames waiting for one peer's link, after VerneMQ's
// `outgoing_clustering_buffer_size`: "how many bytes are buffered in case the remote node is
// not available. Default is 10000". Forwarded publishes wait here while the link is down or
// slow; a frame that does not fit is dropped and counted, never queued without bound.
//
// Tail drop (the new frame goes, queued ones stay): frames already queued keep their order,
// and the oldest are the closest to being sent. Only publish frames belong here; handshake and
// metadata frames are not dropped but regenerated (a metadata sync follows every link-up).
//
// Pure value type, not thread-safe: the link's strand owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace ternmq::cluster {

inline constexpr std::size_t k_default_outgoing_buffer_bytes = 10'000;

struct outgoing_counters {
  std::uint64_t queued_frames = 0;   // accepted since creation
  std::uint64_t dropped_frames = 0;  // refused because the buffer was full
  std::uint64_t dropped_bytes = 0;
  bool operator==(const outgoing_counters&) const = default;
};

class outgoing_buffer {
 public:
  explicit outgoing_buffer(std::size_t max_bytes = k_default_outgoing_buffer_bytes) : max_bytes_(max_bytes) {}

  enum class push_result { queued, dropped };
  // Queues `frame` (encoded bytes) unless that would pass the byte limit.
  push_result push(std::string frame);
  // The oldest frame, removed; nullopt when empty.
  std::optional<std::string> pop();
  // The oldest frame, left in place (the link writes it, then pops). REQUIRES: !empty().
  const std::string& front() const { return frames_.front(); }

  std::size_t bytes() const { return bytes_; }
  std::size_t frames() const { return frames_.size(); }
  bool empty() const { return frames_.empty(); }
  std::size_t max_bytes() const { return max_bytes_; }
  const outgoing_counters& counters() const { return counters_; }

 private:
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::deque<std::string> frames_;
  outgoing_counters counters_;
};

}  // namespace ternmq::cluster
