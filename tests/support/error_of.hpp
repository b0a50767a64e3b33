#pragma once
// Small helpers the io tests share: the message of the sepconv::Error an action throws, and
// writing raw bytes (hostile or hand-made files) to a path.

#include <fstream>
#include <functional>
#include <string>

#include "core/error.hpp"

namespace sepconv::testing {

/// The message of the Error `action` throws, or "" when it throws none.
inline std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

/// Writes `bytes` to `path` as they are.
inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace sepconv::testing
