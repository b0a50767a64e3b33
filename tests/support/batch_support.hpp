#pragma once
// Helpers for the batch, apply, compare and edges end-to-end tests, on top of
// support/run_binary.hpp.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "build_paths.hpp"
#include "support/run_binary.hpp"

namespace sepconv::testing {

namespace fs = std::filesystem;

using CliRun = Run;

/// Every line of `text` parsed as one JSON object (throws on a line that is not JSON).
inline std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

/// The files below `folder` whose names start with "." (temporary files are hidden).
inline std::vector<std::string> hidden_files(const fs::path& folder) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.path().filename().string()[0] == '.') found.push_back(entry.path().string());
  }
  return found;
}

inline std::string sample(const std::string& name) {
  return std::string(SEPCONV_SOURCE_DIR) + "/samples/" + name;
}

}  // namespace sepconv::testing
