#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include "core/error.hpp"

namespace sepconv {
namespace fs = std::filesystem;
namespace {

std::atomic<bool> g_sync_writes{true};

/// A short random name beside the target: "." hides it from folder listings, and it is short
/// (19 bytes plus a short extension) so that any target name the file system allows, up to
/// NAME_MAX bytes, still has a temporary. The extension is kept for encoders that choose the
/// format by name.
fs::path temporary_name(const fs::path& folder, const fs::path& target) {
  static thread_local std::mt19937_64 random(std::random_device{}() ^
                                             (std::uint64_t(getpid()) << 32));
  std::string extension = target.extension().string();
  if (extension.size() > 16) extension.clear();
  return folder / fmt::format(".sepconv-{:012x}{}", random() & 0xffffffffffffULL, extension);
}

/// Creates an empty temporary file with a fresh name (O_EXCL: never another process's file), or
/// says why the folder refuses it.
fs::path create_temporary(const fs::path& folder, const fs::path& target, const std::string& path) {
  for (int attempt = 0;; ++attempt) {
    const fs::path temporary = temporary_name(folder, target);
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      return temporary;
    }
    if (errno != EEXIST || attempt == 100) {
      throw Error(path, fmt::format("cannot be written: cannot create a file in '{}': {}",
                                    folder.string(), std::strerror(errno)));
    }
  }
}

/// fsync(2) of a file or folder, so a power cut after the rename finds the complete file; the
/// system's reason on failure.
std::string sync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return std::strerror(errno);
  const bool synced = ::fsync(fd) == 0 || errno == EINVAL;  // EINVAL: a file that cannot sync
  const std::string reason = synced ? "" : std::strerror(errno);
  ::close(fd);
  return reason;
}

/// Writes all of `bytes` to `fd`; the system's reason on failure ("No space left on device").
std::string write_all(int fd, const std::vector<std::uint8_t>& bytes) {
  for (size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::strerror(n < 0 ? errno : ENOSPC);
    done += static_cast<size_t>(n);
  }
  return "";
}

}  // namespace

void set_sync_writes(bool sync) {
  g_sync_writes = sync;
}

bool sync_writes() {
  return g_sync_writes;
}

void replace_atomically(const std::string& path,
                        const std::function<std::string(const std::string&)>& write_temporary) {
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw Error(path, fmt::format("output folder '{}' does not exist", folder.string()));
  }
  if (fs::is_directory(target, error)) throw Error(path, "is a directory");
  // Same folder, so the rename stays on one file system and is atomic.
  const fs::path temporary = create_temporary(folder, target, path);
  std::string reason;
  try {
    reason = write_temporary(temporary.string());
  } catch (...) {  // a writer that fails by throwing (a row producer's input error) leaves nothing
    fs::remove(temporary, error);
    throw;
  }
  if (!reason.empty()) {
    reason = fmt::format("cannot be written: {}", reason);
  } else if (g_sync_writes && !(reason = sync_path(temporary, O_RDONLY)).empty()) {
    reason = fmt::format("cannot be written to disk (fsync): {}", reason);
  } else {
    fs::rename(temporary, target, error);
    if (!error) {
      // The rename itself lives in the folder: without this a power cut may forget it.
      if (g_sync_writes) sync_path(folder, O_RDONLY | O_DIRECTORY);
      return;
    }
    reason = fmt::format("cannot be renamed into place: {}", error.message());
  }
  fs::remove(temporary, error);
  throw Error(path, reason);
}

void write_bytes_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  replace_atomically(path, [&](const std::string& temporary) {
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) return std::string(std::strerror(errno));
    std::string reason = write_all(fd, bytes);
    if (::close(fd) != 0 && reason.empty()) reason = std::strerror(errno);
    return reason;
  });
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code error;
  return fs::equivalent(a, b, error);
}

}  // namespace sepconv
