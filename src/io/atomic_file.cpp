#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"

namespace sepconv {
namespace fs = std::filesystem;
namespace {

/// Creates the temporary file, or says why the folder refuses it. A leftover of a killed process
/// that had the same pid is replaced: a live sepconv never writes the same temporary twice.
int create_temporary(const fs::path& temporary, const std::string& path) {
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0 && errno == EEXIST && ::unlink(temporary.c_str()) == 0) {
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  }
  if (fd < 0) {
    throw Error(path, fmt::format("cannot be written: cannot create a file in '{}': {}",
                                  temporary.parent_path().string(), std::strerror(errno)));
  }
  return fd;
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

void replace_atomically(const std::string& path,
                        const std::function<std::string(const std::string&)>& write_temporary) {
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw Error(path, fmt::format("output folder '{}' does not exist", folder.string()));
  }
  if (fs::is_directory(target, error)) throw Error(path, "is a directory");
  // Same folder, so the rename stays on one file system and is atomic; same extension, so an
  // encoder that goes by the name picks the same format.
  const fs::path temporary = folder / fmt::format(".{}.sepconv-{}{}", target.stem().string(),
                                                  getpid(), target.extension().string());
  std::string reason = write_temporary(temporary.string());
  if (reason.empty()) {
    fs::rename(temporary, target, error);
    if (!error) return;
    reason = fmt::format("cannot be renamed into place: {}", error.message());
  } else {
    reason = fmt::format("cannot be written: {}", reason);
  }
  fs::remove(temporary, error);
  throw Error(path, reason);
}

void write_bytes_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  replace_atomically(path, [&](const std::string& temporary) {
    const int fd = create_temporary(temporary, path);
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
