#pragma once
// Running the real sepconv binary from end-to-end tests, and temporary folders that clean up.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "build_paths.hpp"

namespace sepconv::testing {

struct Run {
  int status = -1;  ///< exit status, or -1 when killed by a signal
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

/// `text` in single quotes, for a shell command line (test paths hold no single quote).
inline std::string quoted(const std::string& text) {
  return "'" + text + "'";
}

/// Runs `sepconv <args>` through the shell from the source tree (so samples/ resolves), capturing
/// stdout and stderr apart. `prefix` goes before the binary (a pipe feeding stdin, for example).
inline Run run_sepconv(const std::string& args, const std::string& prefix = "") {
  static int counter = 0;
  const std::filesystem::path err_file =
      std::filesystem::temp_directory_path() /
      ("sepconv-test-stderr-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  const std::string command = std::string("cd '") + SEPCONV_SOURCE_DIR + "' && " + prefix + "'" +
                              SEPCONV_BINARY + "' " + args + " 2>'" + err_file.string() + "'";
  Run run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) run.out.append(buffer, n);
  const int raw = pclose(pipe);
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  run.err = read_text(err_file);
  std::filesystem::remove(err_file);
  return run;
}

/// A fresh empty folder under the system's temporary folder, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& name = "dir") {
    path_ = std::filesystem::temp_directory_path() /
            ("sepconv-test-" + name + "-" + std::to_string(getpid()) + "-" +
             std::to_string(counter()++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  static int& counter() {
    static int value = 0;
    return value;
  }
  std::filesystem::path path_;
};

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace sepconv::testing
