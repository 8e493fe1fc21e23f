// Files the broker reads at start-up and re-reads while it runs (the password file and the ACL
// file), and `reloading_file<T>`, which keeps the table parsed from such a file current.
//
// There is no Asio here: the server calls `check()` from its own timer every
// `*_reload_interval`, and readers call `current()` from any thread.
#pragma once

#include <sys/types.h>

#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "core/base/result.hpp"

namespace ternmq::auth {

// Values for `core::error::code` in errors from this module's files.
enum class file_errc : int {
  unreadable = 1,  // the file could not be opened or read; the message names the file and errno text
  malformed = 2,   // a line is wrong; the message reads "FILE:LINE: reason"
};

core::error file_error(file_errc code, std::string message);

// What identifies one version of a file without reading it. An edit in place changes the size or the
// modification time (nanoseconds); a replacement by rename, as editors and ternmq-passwd do, changes
// the inode; a chmod that makes an unreadable file readable changes the status-change time.
struct file_stamp {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  std::timespec modified{};
  std::timespec changed{};
  bool operator==(const file_stamp& o) const {
    return device == o.device && inode == o.inode && size == o.size && same(modified, o.modified) &&
           same(changed, o.changed);
  }

 private:
  static bool same(const std::timespec& a, const std::timespec& b) {
    return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
  }
};

struct file_snapshot {
  file_stamp stamp;
  std::string text;
};

// The stamp of `path`, following symlinks; an error of `file_errc::unreadable` when it cannot be
// stat'ed.
core::result<file_stamp> stat_file(const std::string& path);

// Reads the whole file, with the stamp taken from the open descriptor before reading, so a change
// made while reading shows up as a different stamp at the next look.
core::result<file_snapshot> read_file(const std::string& path);

enum class reload_outcome { unchanged, reloaded };

// Holds the table parsed from one file as a `shared_ptr<const T>` that readers take a reference to
// and keep as long as they like; a reload swaps in a new table and never changes an old one.
//
// Thread safety: `current()` may be called from any thread at any time. `check()` must not run
// concurrently with itself (one timer calls it). Not copyable or movable (the readers may hold a
// reference to it).
template <class T>
class reloading_file {
 public:
  // Turns a file's text into a table; errors read "FILE:LINE: reason" (`file_errc::malformed`).
  using parser = std::function<core::result<T>(std::string_view text, const std::string& file_name)>;

  // Reads and parses `path`. An error here means the broker must not start.
  static core::result<std::unique_ptr<reloading_file>> open(std::string path, parser parse) {
    auto snapshot = read_file(path);
    if (!snapshot) return snapshot.err();
    auto table = parse(snapshot->text, path);
    if (!table) return table.err();
    return std::unique_ptr<reloading_file>(
        new reloading_file(std::move(path), std::move(parse), snapshot->stamp, std::move(table).value()));
  }

  reloading_file(const reloading_file&) = delete;
  reloading_file& operator=(const reloading_file&) = delete;

  std::shared_ptr<const T> current() const {
    const std::lock_guard lock(current_mutex_);
    return current_;
  }
  const std::string& path() const { return path_; }

  // Re-reads and re-parses the file if its stamp changed since the last look. On an error (file
  // gone or unreadable, a malformed line) the previous table stays current and the error is
  // returned for the caller to log; the same failing version of the file is reported once, not at
  // every tick, and is retried as soon as it changes again.
  core::result<reload_outcome> check() {
    auto stamp = stat_file(path_);
    if (!stamp) {
      if (missing_reported_) return reload_outcome::unchanged;
      missing_reported_ = true;
      return stamp.err();
    }
    missing_reported_ = false;
    if (last_seen_ == *stamp) return reload_outcome::unchanged;
    auto snapshot = read_file(path_);
    if (!snapshot) {
      last_seen_ = *stamp;
      return snapshot.err();
    }
    last_seen_ = snapshot->stamp;
    auto table = parse_(snapshot->text, path_);
    if (!table) return table.err();
    std::shared_ptr<const T> next = std::make_shared<const T>(std::move(table).value());
    {
      const std::lock_guard lock(current_mutex_);
      current_.swap(next);
    }
    return reload_outcome::reloaded;  // `next` now holds the old table, freed here unless a reader has it
  }

 private:
  reloading_file(std::string path, parser parse, file_stamp stamp, T table)
      : path_(std::move(path)),
        parse_(std::move(parse)),
        last_seen_(stamp),
        current_(std::make_shared<const T>(std::move(table))) {}

  const std::string path_;
  const parser parse_;
  file_stamp last_seen_;           // the version last read, successfully or not
  bool missing_reported_ = false;  // the file could not be stat'ed and that was reported
  // A mutex rather than `std::atomic<std::shared_ptr>`: GCC 12's implementation releases its internal
  // lock in `load()` with a relaxed store, which ThreadSanitizer reports (rightly, by the memory
  // model) as a race with the next `store()`. The critical section is one reference-count change.
  mutable std::mutex current_mutex_;
  std::shared_ptr<const T> current_;  // guarded by current_mutex_
};

}  // namespace ternmq::auth
