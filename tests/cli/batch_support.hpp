#pragma once
// Running the real sepconv binary from end-to-end tests, and temporary folders that clean up.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace sepconv::testing {

namespace fs = std::filesystem;

struct CliRun {
  int status = -1;
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

/// Runs `sepconv <args>` through the shell (args are shell words), capturing stdout and stderr
/// apart. `prefix` goes before the binary (a pipe feeding stdin, for example).
inline CliRun run_sepconv(const std::string& args, const std::string& prefix = "") {
  CliRun run;
  const std::string err_file =
      fs::temp_directory_path() / ("sepconv_err_" + std::to_string(getpid()));
  const std::string command =
      prefix + "'" + std::string(SEPCONV_BINARY) + "' " + args + " 2>'" + err_file + "'";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) run.out.append(buffer, n);
  const int raw = pclose(pipe);
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  if (FILE* err = fopen(err_file.c_str(), "r")) {
    for (size_t n; (n = fread(buffer, 1, sizeof buffer, err)) > 0;) run.err.append(buffer, n);
    fclose(err);
  }
  fs::remove(err_file);
  return run;
}

/// Every line of `text` parsed as one JSON object (throws on a line that is not JSON).
inline std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

/// A fresh folder under the system's temporary folder, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    path_ = fs::temp_directory_path() / ("sepconv_" + name + "_" + std::to_string(getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

/// The files below `folder` whose names start with "." (temporary files are hidden).
inline std::vector<std::string> hidden_files(const fs::path& folder) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.path().filename().string()[0] == '.') found.push_back(entry.path().string());
  }
  return found;
}

inline std::string quoted(const std::string& path) {
  return "'" + path + "'";
}

inline std::string sample(const std::string& name) {
  return std::string(SEPCONV_SOURCE_DIR) + "/samples/" + name;
}

}  // namespace sepconv::testing
