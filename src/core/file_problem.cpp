#include "core/file_problem.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace sepconv {

std::string input_file_problem(const std::string& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    const int error = errno;
    struct stat link {};
    switch (error) {
      case ELOOP:
        return "is a loop of symbolic links";
      case EACCES:
        return "permission denied";
      case ENOENT:
        return ::lstat(path.c_str(), &link) == 0 ? "is a symbolic link to a missing file"
                                                 : "no such file";
      case ENOTDIR:
        return "no such file (a part of the path is not a folder)";
      default:
        return std::strerror(error);
    }
  }
  if (S_ISREG(status.st_mode) || S_ISFIFO(status.st_mode)) return "";
  if (S_ISDIR(status.st_mode)) return "is a directory";
  if (S_ISCHR(status.st_mode) || S_ISBLK(status.st_mode)) return "is a device, not a file";
  if (S_ISSOCK(status.st_mode)) return "is a socket, not a file";
  return "is not a regular file";
}

}  // namespace sepconv
